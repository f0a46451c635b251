using TrackSharp.Checkpoints;
using TrackSharp.Data.Targets;
using TrackSharp.Geometry;
using Xunit;

namespace TrackSharp.Tests.Data.Targets;

/// <summary>Golden: siamfcpp_small/targets.npz (README "targets.npz" and the Targets traps).</summary>
public class DenseboxTargetTests
{
    private const string File = "golden/siamfcpp_small/targets.npz";

    public static TheoryData<string, bool> Cases() => new()
    {
        { "center", false }, { "center_neg", true }, { "fractional", false }, { "small", false },
        { "tiny_between_points", false }, { "partly_outside", false }, { "whole_crop", false },
        { "huge_outside", false }, { "degenerate", false }, { "wide", false }, { "tall_neg", true },
    };

    private static Npz Golden() => Npz.Load(Path.Combine(TestPaths.Shared, File));

    [Fact]
    public void Geometry_FromTheReferenceHyperParameters()
    {
        var t = DenseboxTarget.FromSizes(127, 303, 8, 3);
        Assert.Equal((17, 87, 8), (t.ScoreSize, t.ScoreOffset, t.TotalStride));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Golden_Pair(string c, bool negative)
    {
        using var npz = Golden();
        var b = npz[$"{c}/bbox_x"].ToFloatArray();
        var labels = DenseboxTarget.FromSizes().ForPair(new BoxXyxy(b[0], b[1], b[2], b[3]), negative);
        AssertLabels(npz, c, labels);
    }

    [Fact]
    public void Golden_Multi()
    {
        using var npz = Golden();
        var g = npz["multi/gt_boxes"].ToFloatArray(); // (3,5) float32
        var boxes = Enumerable.Range(0, g.Length / 5)
            .Select(k => (new BoxXyxy(g[5 * k], g[5 * k + 1], g[5 * k + 2], g[5 * k + 3]), (float)g[5 * k + 4])).ToList();
        var labels = DenseboxTarget.FromSizes().Make(boxes);
        AssertLabels(npz, "multi", labels);
    }

    [Fact]
    public void Tensors_HaveTheDocumentedShapesAndDtypes()
    {
        var labels = DenseboxTarget.FromSizes().ForPair(new BoxXyxy(120, 110, 190, 200), false);
        using var cls = labels.ClsTensor();
        using var ctr = labels.CtrTensor();
        using var box = labels.BoxTensor();
        Assert.Equal(new long[] { 289, 1 }, cls.shape);
        Assert.Equal(new long[] { 289, 1 }, ctr.shape);
        Assert.Equal(new long[] { 289, 4 }, box.shape);
        Assert.Equal(TorchSharp.torch.ScalarType.Float32, box.dtype);
    }

    private static void AssertLabels(Npz npz, string c, DenseboxLabels labels)
    {
        var cls = npz[$"{c}/cls_gt"].ToFloatArray();
        Assert.Equal(289, cls.Length);
        for (int i = 0; i < cls.Length; i++)
            Assert.True(cls[i] == labels.Cls[i], $"{File} {c}/cls_gt[{i}] (y {i / 17}, x {i % 17}): {labels.Cls[i]} vs expected {cls[i]}");
        var box = npz[$"{c}/box_gt"].ToFloatArray();
        Assert.Equal(289 * 4, box.Length);
        for (int i = 0; i < box.Length; i++)
            Assert.True(box[i] == labels.Box[i], $"{File} {c}/box_gt[{i / 4},{i % 4}]: {labels.Box[i]:R} vs expected {box[i]:R}");
        var ctr = npz[$"{c}/ctr_gt"].ToFloatArray();
        for (int i = 0; i < ctr.Length; i++)
            Assert.True(Math.Abs(ctr[i] - labels.Ctr[i]) <= 1e-6,
                $"{File} {c}/ctr_gt[{i}] (y {i / 17}, x {i % 17}): {labels.Ctr[i]:R} vs expected {ctr[i]:R}");
        int exact = ctr.Zip(labels.Ctr).Count(p => p.First == p.Second);
        Assert.True(exact == ctr.Length, $"{File} {c}/ctr_gt: {ctr.Length - exact} of {ctr.Length} values differ in the last bits");
    }
}
