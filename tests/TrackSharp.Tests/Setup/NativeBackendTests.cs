using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace TrackSharp.Tests.Setup;

/// <summary>
/// The loader-fix test: TorchSharp's native backend (libLibTorchSharp.so + libtorch) loads on this machine and
/// computes. On Debian 12 this only passes when the GLIBCXX_3.4.32 requirement was marked weak at build time.
/// Expected values are computed by hand.
/// </summary>
public class NativeBackendTests
{
    [Fact]
    public void OnesSumIsFour()
    {
        using var ones = torch.ones(2, 2);
        using var sum = ones.sum();
        Assert.Equal(4f, sum.item<float>());
    }

    [Fact]
    public void MatmulMatchesHandComputedResult()
    {
        // [1 2; 3 4] x [5 6; 7 8] = [1*5+2*7, 1*6+2*8; 3*5+4*7, 3*6+4*8] = [19 22; 43 50]
        using var a = torch.tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2);
        using var b = torch.tensor(new float[] { 5, 6, 7, 8 }).reshape(2, 2);
        using var c = torch.matmul(a, b);
        Assert.Equal(new long[] { 2, 2 }, c.shape);
        Assert.Equal(new float[] { 19, 22, 43, 50 }, c.data<float>().ToArray());
    }
}
