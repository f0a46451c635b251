using TrackSharp.Checkpoints;
using TrackSharp.Detection.Fcos;
using Xunit;

namespace TrackSharp.Tests.Detection;

/// <summary><see cref="FcosLocations"/> against the reference's <c>compute_locations</c>: exact, every level.</summary>
public class FcosLocationsTests
{
    public static TheoryData<string, string, int, int, int> Levels()
    {
        var data = new TheoryData<string, string, int, int, int>();
        int[] strides = { 8, 16, 32, 64, 128 };
        // targets.npz: 800x1088 padded test-scale image; train_step.npz: 256x352; postprocess.npz: 224x320.
        int[][] targets = { new[] { 100, 136 }, new[] { 50, 68 }, new[] { 25, 34 }, new[] { 13, 17 }, new[] { 7, 9 } };
        int[][] train = { new[] { 32, 44 }, new[] { 16, 22 }, new[] { 8, 11 }, new[] { 4, 6 }, new[] { 2, 3 } };
        int[][] post = { new[] { 28, 40 }, new[] { 14, 20 }, new[] { 7, 10 }, new[] { 4, 5 }, new[] { 2, 3 } };
        for (int l = 0; l < 5; l++)
        {
            data.Add("targets.npz", $"locations/P{l + 3}", targets[l][0], targets[l][1], strides[l]);
            data.Add("train_step.npz", $"locations/P{l + 3}", train[l][0], train[l][1], strides[l]);
            data.Add("postprocess.npz", $"in/locations/P{l + 3}", post[l][0], post[l][1], strides[l]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void Locations_match_golden_exactly(string file, string key, int h, int w, int stride)
    {
        using var npz = Npz.Load(FcosGolden.File(file));
        var golden = npz[key];
        Assert.Equal(new long[] { (long)h * w, 2 }, golden.Shape);
        var ours = FcosLocations.ForLevel(h, w, stride);
        Assert.Equal(golden.ToFloatArray(), ours);
    }

    [Fact]
    public void Tensor_form_matches_array_form_and_level_order()
    {
        using var t = FcosLocations.ForLevelTensor(3, 4, 16);
        Assert.Equal(new long[] { 12, 2 }, t.shape);
        Assert.Equal(FcosLocations.ForLevel(3, 4, 16), t.data<float>().ToArray());
        // hand-computed: row 0 then row 1, (x, y) pairs with the integer half stride.
        Assert.Equal(new float[] { 8, 8, 24, 8, 40, 8, 56, 8, 8, 24 }, FcosLocations.ForLevel(3, 4, 16).Take(10).ToArray());
        Assert.Equal(new[] { 8, 16, 32, 64, 128 }, FcosLocations.DefaultStrides);
    }
}
