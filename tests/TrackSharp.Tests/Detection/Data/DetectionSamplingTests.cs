using TrackSharp.Detection.Data;
using Xunit;

namespace TrackSharp.Tests.Detection.Data;

/// <summary>Aspect-ratio grouping, GroupedBatchSampler and IterationBasedBatchSampler semantics (expected values by hand).</summary>
public class DetectionSamplingTests
{
    [Fact]
    public void QuantizeIsBisectRight()
    {
        Assert.Equal([0, 1, 1, 0], AspectRatioGrouping.Quantize([0.5, 1.0, 2.0, 0.999], [1.0]));
        Assert.Equal([1, 1, 2, 0], AspectRatioGrouping.Quantize([0.5, 1.0, 2.0, 0.4], [1.5, 0.5]));
    }

    [Fact]
    public void GroupedBatchesFollowTheSampledOrder()
    {
        int[] groups = [0, 1, 0, 0, 1, 1, 0];
        int[] sampled = [3, 1, 6, 4, 0, 2, 5];
        // group 0 in sampled order: 3 6 0 2 -> [3,6] [0,2]; group 1: 1 4 5 -> [1,4] [5];
        // ordered by the sampled position of the first element: 3 (0), 1 (1), 0 (4), 5 (6).
        var batches = new GroupedBatchSampler(groups, 2).Batches(sampled);
        Assert.Equal([[3, 6], [1, 4], [0, 2], [5]], batches);
        var even = new GroupedBatchSampler(groups, 2, dropUneven: true).Batches(sampled);
        Assert.Equal([[3, 6], [1, 4], [0, 2]], even);
        // A partial pass (a subset sampled) only batches what was sampled.
        Assert.Equal([[2, 0], [5]], new GroupedBatchSampler(groups, 3).Batches([5, 2, 0]).Select(b => b).OrderBy(b => b[0] == 5 ? 1 : 0));
    }

    [Fact]
    public void IterationBasedSamplerRestartsPassesAndResumes()
    {
        var starts = new List<long>();
        IReadOnlyList<int[]> Pass(long start) { starts.Add(start); return [[(int)start, 0], [(int)start, 1], [(int)start, 2]]; }

        var all = new IterationBasedBatchSampler(Pass, 7).Iterate().ToList();
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7], all.Select(x => x.Iteration));
        Assert.Equal([[0, 0], [0, 1], [0, 2], [3, 0], [3, 1], [3, 2], [6, 0]], all.Select(x => x.Batch));
        Assert.Equal([0L, 3, 6], starts);

        starts.Clear();
        var resumed = new IterationBasedBatchSampler(Pass, 7, startIteration: 5).Iterate().ToList();
        Assert.Equal([6L, 7L], resumed.Select(x => x.Iteration));
        Assert.Equal([[5, 0], [5, 1]], resumed.Select(x => x.Batch));
        Assert.Empty(new IterationBasedBatchSampler(Pass, 7, startIteration: 7).Iterate());
    }

    [Fact]
    public void EmptyPassIsAnErrorNotAHang()
    {
        var sampler = new IterationBasedBatchSampler(_ => [], 3);
        Assert.Throws<InvalidOperationException>(() => sampler.Iterate().ToList());
    }
}
