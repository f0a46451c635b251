using TrackSharp.Checkpoints;
using TrackSharp.Detection.Fcos;
using Xunit;
using Xunit.Sdk;

namespace TrackSharp.Tests.Detection;

/// <summary>
/// <see cref="FcosTargetAssigner"/> against golden/fcos_small/targets.npz (the demo image resized to 800x1066, padded
/// to 800x1088), for the <c>imprv</c> config (center sampling 1.5, NORM_REG_TARGETS) and the <c>plain</c> one:
/// GT areas, the in-box and size-range masks, labels, regression targets, positive indices and centerness targets,
/// all bit-exact.
/// </summary>
public class FcosTargetsTests
{
    private static readonly (int H, int W)[] Sizes = { (100, 136), (50, 68), (25, 34), (13, 17), (7, 9) };
    private static readonly int[] Strides = { 8, 16, 32, 64, 128 };

    [Theory]
    [InlineData("imprv", 1.5, true)]
    [InlineData("plain", 0.0, false)]
    public void Targets_match_targets_npz(string cfg, double radius, bool norm)
    {
        using var npz = Npz.Load(FcosGolden.File("targets.npz"));
        var locations = new List<float[]>();
        for (int l = 0; l < 5; l++)
        {
            var loc = FcosLocations.ForLevel(Sizes[l].H, Sizes[l].W, Strides[l]);
            Assert.Equal(npz[$"locations/P{l + 3}"].ToFloatArray(), loc);
            locations.Add(loc);
        }
        var assigner = new FcosTargetAssigner(Strides, radius, norm);
        var t = assigner.Assign(locations, npz["gt_boxes_resized"].ToFloatArray(), npz["gt_labels"].ToLongArray());

        Assert.Equal(npz["gt_area"].ToFloatArray(), t.GtArea);
        AssertSame(npz[$"{cfg}/is_in_boxes"].ToBoolArray(), t.IsInBoxes, $"{cfg}/is_in_boxes");
        AssertSame(npz[$"{cfg}/is_cared_in_level"].ToBoolArray(), t.IsCaredInLevel, $"{cfg}/is_cared_in_level");
        // object_sizes_of_interest: per point [lo, hi] of its level.
        var sizes = npz[$"{cfg}/object_sizes_of_interest"].ToFloatArray();
        int row = 0;
        for (int l = 0; l < 5; l++)
            for (int p = 0; p < Sizes[l].H * Sizes[l].W; p++, row++)
            {
                Assert.Equal(sizes[2 * row], assigner.SizesOfInterest[l].Lo);
                Assert.Equal(sizes[2 * row + 1], assigner.SizesOfInterest[l].Hi);
            }
        int positives = 0;
        for (int l = 0; l < 5; l++)
        {
            string p = $"P{l + 3}";
            AssertSame(npz[$"{cfg}/labels/{p}"].ToIntArray(), t.Labels[l], $"{cfg}/labels/{p}");
            AssertSame(npz[$"{cfg}/reg_targets/{p}"].ToFloatArray(), t.RegTargets[l], $"{cfg}/reg_targets/{p}");
            var pos = t.PositiveIndices(l);
            AssertSame(npz[$"{cfg}/pos_index/{p}"].ToIntArray(), pos, $"{cfg}/pos_index/{p}");
            var ctr = pos.Select(i => FcosTargetAssigner.Centerness(t.RegTargets[l][4 * i], t.RegTargets[l][4 * i + 1],
                t.RegTargets[l][4 * i + 2], t.RegTargets[l][4 * i + 3])).ToArray();
            AssertSame(npz[$"{cfg}/centerness_targets/{p}"].ToFloatArray(), ctr, $"{cfg}/centerness_targets/{p}");
            positives += pos.Length;
        }
        Assert.True(positives > 0, "the golden image has positives");
    }

    [Fact]
    public void Duplicate_box_tie_goes_to_the_lower_gt_index()
    {
        // Two identical boxes (same area): the first (label 1) wins, as torch.min returns the first minimum.
        var loc = new List<float[]> { new float[] { 4, 4 } };
        var assigner = new FcosTargetAssigner(new[] { 8 }, 0, false, new[] { (-1f, 64f) });
        var t = assigner.Assign(loc, new float[] { 0, 0, 10, 10, 0, 0, 10, 10 }, new long[] { 1, 2 });
        Assert.Equal(1, t.Labels[0][0]);
        // (l, t, r, b) = (4, 4, 6, 6); centerness = sqrt(4/6 * 4/6) = 2/3.
        Assert.Equal(new float[] { 4, 4, 6, 6 }, t.RegTargets[0]);
        Assert.Equal(2f / 3f, FcosTargetAssigner.Centerness(4, 4, 6, 6), 6);
    }

    private static void AssertSame<T>(T[] expected, T[] actual, string what) where T : IEquatable<T>
    {
        if (expected.Length != actual.Length) throw new XunitException($"{what}: {actual.Length} values, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
            if (!expected[i].Equals(actual[i])) throw new XunitException($"{what}[{i}]: {actual[i]} vs expected {expected[i]}");
    }
}
