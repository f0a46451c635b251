using TrackSharp.Nn;
using Xunit;
using static TorchSharp.torch;

namespace TrackSharp.Tests.Nn;

/// <summary><see cref="StridedMaxPool2d"/> equals libtorch's max_pool2d exactly (sizes, ceil mode, padding), and a
/// hand-worked 5x5 case.</summary>
public class StridedMaxPool2dTests
{
    [Theory]
    [InlineData(147, 3, 2, 0, true)]   // SiamFC++ AlexNet pool1 on a 303 crop
    [InlineData(69, 3, 2, 0, true)]    // pool2
    [InlineData(59, 3, 2, 0, true)]    // pool1 on a 127 crop
    [InlineData(28, 3, 2, 0, true)]    // even side: ceil mode adds a partial last window
    [InlineData(61, 3, 2, 0, false)]   // Inception3 stem
    [InlineData(28, 3, 2, 0, false)]
    [InlineData(152, 3, 2, 1, false)]  // ShuffleNetV2
    [InlineData(64, 3, 2, 1, true)]
    [InlineData(10, 2, 2, 0, true)]
    [InlineData(9, 4, 3, 2, true)]
    public void EqualsLibtorchMaxPool(int side, int kernel, int stride, int padding, bool ceil)
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        var x = randn(2, 5, side, side + 1);
        x[0, 0, 0, 0] = tensor(float.NaN); // NaN propagates through both
        var expected = nn.functional.max_pool2d(x, kernel, stride, padding, ceil_mode: ceil);
        var actual = new StridedMaxPool2d(kernel, stride, padding, ceil).forward(x);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(expected.isnan().equal(actual.isnan()).all().item<bool>());
        var finite = expected.isfinite();
        Assert.True(expected.masked_select(finite).equal(actual.masked_select(finite)).all().item<bool>());
    }

    [Fact]
    public void HandWorkedCeilModeCase()
    {
        // 1x1x4x4 values 0..15 row-major, 3x3/2 ceil mode: output 2x2 (the last windows start at 2 and are cut).
        // Windows: rows 0-2 x cols 0-2 -> 10; rows 0-2 x cols 2-3 -> 11; rows 2-3 x cols 0-2 -> 14; rows 2-3 x 2-3 -> 15.
        using var x = arange(16, dtype: ScalarType.Float32).view(1, 1, 4, 4);
        using var y = new StridedMaxPool2d(3, 2, ceilMode: true).forward(x);
        Assert.Equal([10f, 11, 14, 15], y.data<float>().ToArray());
    }

    [Fact]
    public void GradientPathIsLibtorchs()
    {
        using var scope = NewDisposeScope();
        var x = zeros(1, 1, 5, 5, requires_grad: true); // all ties
        new StridedMaxPool2d(3, 2, ceilMode: true).forward(x).sum().backward();
        var expected = zeros(1, 1, 5, 5, requires_grad: true);
        nn.functional.max_pool2d(expected, 3, 2, ceil_mode: true).sum().backward();
        Assert.True(x.grad!.equal(expected.grad!).all().item<bool>());
    }
}
