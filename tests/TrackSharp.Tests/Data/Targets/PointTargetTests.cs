using TrackSharp.Checkpoints;
using TrackSharp.Data.Targets;
using TrackSharp.Geometry;
using Xunit;

namespace TrackSharp.Tests.Data.Targets;

/// <summary>Golden: siamban_small/point_target.npz (README section point_target.npz, trap 9).</summary>
public class PointTargetTests
{
    private const string File = "golden/siamban_small/point_target.npz";

    public static TheoryData<string> Cases() => new()
    {
        "typical", "small", "large_offcentre", "negpair", "batch_item0", "batch_item1_neg",
    };

    private static Npz Golden() => Npz.Load(Path.Combine(TestPaths.Shared, File));

    [Fact]
    public void Golden_Points()
    {
        using var npz = Golden();
        var expected = npz["points"].ToFloatArray();
        var actual = new PointTarget().Points;
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(expected[i] == actual[i], $"{File} points[{i / 625},{i / 25 % 25},{i % 25}]: {actual[i]} vs expected {expected[i]}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Golden_Case(string c)
    {
        using var npz = Golden();
        var t = npz[$"{c}/target_x1y1x2y2"].ToDoubleArray();
        bool neg = npz[$"{c}/neg"].ToBoolArray()[0];
        int shuffles = (int)npz[$"{c}/num_shuffles"].ToLongArray()[0];
        var perms = new RecordedPermutationSource(Enumerable.Range(0, shuffles)
            .Select(j => npz[$"{c}/shuffle{j}"].ToLongArray().Select(v => (int)v).ToArray()));

        var labels = new PointTarget().Compute(new BoxXyxy(t[0], t[1], t[2], t[3]), neg, perms);
        Assert.True(perms.Remaining == 0, $"{File} {c}/num_shuffles: {perms.Remaining} of {shuffles} recorded permutations unused");

        AssertIndices(npz, $"{c}/cand_inner_flat", labels.InnerCandidates);
        if (!neg) AssertIndices(npz, $"{c}/cand_outer_flat", labels.OuterCandidates);
        AssertIndices(npz, $"{c}/selected_pos_flat", labels.Positives);
        AssertIndices(npz, $"{c}/selected_neg_flat", labels.Negatives);

        var cls = npz[$"{c}/cls"].ToLongArray();
        for (int i = 0; i < cls.Length; i++)
            Assert.True(cls[i] == labels.Cls[i], $"{File} {c}/cls[{i / 25},{i % 25}]: {labels.Cls[i]} vs expected {cls[i]}");

        var delta = npz[$"{c}/delta"].ToFloatArray();
        for (int i = 0; i < delta.Length; i++)
            Assert.True(delta[i] == labels.Delta[i], // float32 subtraction of float32 values: exact
                $"{File} {c}/delta[{i / 625},{i / 25 % 25},{i % 25}]: {labels.Delta[i]:R} vs expected {delta[i]:R}");
    }

    private static void AssertIndices(Npz npz, string key, int[] actual)
    {
        var expected = npz[key].ToLongArray().Select(v => (int)v).ToArray();
        Assert.True(expected.SequenceEqual(actual),
            $"{File} {key}: [{string.Join(",", actual)}] vs expected [{string.Join(",", expected)}]");
    }

    [Fact]
    public void Tensors_HaveTheDocumentedShapesAndDtypes()
    {
        var labels = new PointTarget().Compute(new BoxXyxy(100, 100, 160, 150), false, new RandomPermutationSource(1));
        using var cls = labels.ClsTensor();
        using var delta = labels.DeltaTensor();
        Assert.Equal(new long[] { 25, 25 }, cls.shape);
        Assert.Equal(TorchSharp.torch.ScalarType.Int64, cls.dtype);
        Assert.Equal(new long[] { 4, 25, 25 }, delta.shape);
        Assert.Equal(TorchSharp.torch.ScalarType.Float32, delta.dtype);
        Assert.True(labels.Positives.Length <= 16 && labels.Negatives.Length == 48);
    }

    [Fact]
    public void RandomPermutationSource_IsAPermutationAndDeterministic()
    {
        var a = new RandomPermutationSource(7).Permutation(50);
        var b = new RandomPermutationSource(7).Permutation(50);
        Assert.Equal(a, b);
        Assert.Equal(Enumerable.Range(0, 50), a.Order());
    }

    [Fact]
    public void RecordedPermutationSource_RejectsAWrongLength()
    {
        var src = new RecordedPermutationSource(new[] { new[] { 1, 0 } });
        var ex = Assert.Throws<InvalidOperationException>(() => src.Permutation(3));
        Assert.Contains("length 2", ex.Message);
    }
}
