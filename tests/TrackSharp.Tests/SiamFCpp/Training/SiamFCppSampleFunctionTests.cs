using TrackSharp.Data.Datasets;
using TrackSharp.Data.Loading;
using TrackSharp.Data.Synthetic;
using TrackSharp.Trackers.SiamFCpp.Training;
using Xunit;
using static TorchSharp.torch;

namespace TrackSharp.Tests.SiamFCpp.Training;

/// <summary>
/// SiamFC++ training samples drawn through the SampleLoader from real OTB sequences (shared/data/otb) and from a
/// synthetic dataset: names, shapes and dtypes of the batch; boxes inside their crops; negative pairs flagged and
/// labelled (cls only −1/0) while positive pairs have positive points; the same batches for the same seed whatever
/// the worker count; an unreadable frame raises FrameReadException naming sequence and frame, and the loader redraws.
/// </summary>
public sealed class SiamFCppSampleFunctionTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly string _synthetic = Directory.CreateTempSubdirectory("tracksharp-fcpp-samples-").FullName;

    public void Dispose() => Directory.Delete(_synthetic, recursive: true);

    private static ISequenceDataset Otb() => DatasetReader.Open(Path.Combine(TestPaths.Shared, "data", "otb"));

    private static SiamFCppSampleFunction Function(IReadOnlyList<ISequenceDataset> datasets, double negative, int seed) =>
        new(SiamFCppSampleFunction.CreateSampler(datasets, negative, 1000, seed), datasets, new SiamFCppSampleBuilder());

    private static SampleLoader<SiamFCppTrainingSample> Loader(SiamFCppSampleFunction f, int workers, int seed, int length = 12) =>
        new(f.AsSampleFunction(), new LoaderOptions { BatchSize = 4, EpochLength = length, Workers = workers, Seed = seed });

    private static List<Dictionary<string, float[]>> Epoch(SampleLoader<SiamFCppTrainingSample> loader, int epoch)
    {
        var rows = new List<Dictionary<string, float[]>>();
        foreach (var batch in loader.Epoch(epoch))
        {
            using (batch)
                rows.Add(batch.Names.ToDictionary(n => n, n => batch[n].to(ScalarType.Float32).contiguous().data<float>().ToArray()));
        }
        return rows;
    }

    [Fact]
    public void OtbBatchesHaveTheReferenceLayoutAndConsistentLabels()
    {
        var datasets = new[] { Otb() };
        var f = Function(datasets, negative: 0.5, seed: 4);
        var loader = Loader(f, workers: 2, seed: 9);
        int negatives = 0, positives = 0, index = 0;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        foreach (var batch in loader.Epoch(0))
        {
            using (batch)
            {
                Assert.Equal(["im_z", "im_x", "bbox_z", "bbox_x", "cls_gt", "ctr_gt", "box_gt", "is_negative_pair"], batch.Names);
                Assert.Equal([4L, 3, 127, 127], batch["im_z"].shape);
                Assert.Equal([4L, 3, 303, 303], batch["im_x"].shape);
                Assert.Equal([4L, 4], batch["bbox_z"].shape);
                Assert.Equal([4L, 4], batch["bbox_x"].shape);
                Assert.Equal([4L, 289, 1], batch["cls_gt"].shape);
                Assert.Equal([4L, 289, 1], batch["ctr_gt"].shape);
                Assert.Equal([4L, 289, 4], batch["box_gt"].shape);
                Assert.Equal([4L], batch["is_negative_pair"].shape);
                Assert.Equal(ScalarType.Float32, batch["im_x"].dtype);
                Assert.Equal(ScalarType.Int64, batch["is_negative_pair"].dtype);
                Assert.True(batch["im_x"].min().item<float>() >= 0 && batch["im_x"].max().item<float>() <= 255);

                float[] bz = batch["bbox_z"].data<float>().ToArray(), bx = batch["bbox_x"].data<float>().ToArray();
                float[] cls = batch["cls_gt"].data<float>().ToArray();
                long[] neg = batch["is_negative_pair"].data<long>().ToArray();
                for (int b = 0; b < 4; b++, index++)
                {
                    Assert.All(bz.AsSpan(4 * b, 4).ToArray(), v => Assert.InRange(v, 0f, 126f));
                    Assert.All(bx.AsSpan(4 * b, 4).ToArray(), v => Assert.InRange(v, 0f, 302f));
                    var pair = f.PairFor(0, index, 0);
                    Assert.Equal(pair.Negative ? 1L : 0L, neg[b]);
                    var rowCls = cls.AsSpan(289 * b, 289).ToArray();
                    if (pair.Negative)
                    {
                        negatives++;
                        Assert.NotEqual(pair.Template.Sequence, pair.Search.Sequence);
                        Assert.All(rowCls, v => Assert.True(v is -1f or 0f, $"negative pair cls {v}"));
                        Assert.Contains(-1f, rowCls);
                    }
                    else
                    {
                        positives++;
                        Assert.All(rowCls, v => Assert.True(v is 0f or 1f, $"positive pair cls {v}"));
                        Assert.Contains(1f, rowCls);
                    }
                }
            }
        }
        Assert.Equal(12, index);
        output.WriteLine($"12 OTB samples (2 workers, checks included) in {watch.Elapsed.TotalMilliseconds:F0} ms; {negatives} negative");
        Assert.True(negatives > 0 && positives > 0, $"{negatives} negative and {positives} positive pairs in 12 draws at ratio 0.5");
    }

    [Fact]
    public void SyntheticBatchesAreTheSameForASeedWhateverTheWorkers()
    {
        SyntheticDataset.Write(_synthetic, new SyntheticOptions { Sequences = 3, Frames = 10, Width = 200, Height = 150, Seed = 2 });
        var datasets = new[] { DatasetReader.Open(_synthetic) };
        var one = Epoch(Loader(Function(datasets, 0.3, seed: 1), workers: 1, seed: 5, length: 8), 1);
        var two = Epoch(Loader(Function(datasets, 0.3, seed: 1), workers: 2, seed: 5, length: 8), 1);
        Assert.Equal(2, one.Count);
        for (int b = 0; b < one.Count; b++)
            foreach (var key in one[b].Keys)
                Assert.True(one[b][key].SequenceEqual(two[b][key]), $"batch {b} '{key}' differs between 1 and 2 workers");
        var otherSeed = Epoch(Loader(Function(datasets, 0.3, seed: 1), workers: 1, seed: 6, length: 8), 1);
        Assert.False(one[0]["im_x"].SequenceEqual(otherSeed[0]["im_x"]), "another loader seed gave the same crops");
    }

    [Fact]
    public void AnUnreadableFrameIsReportedAndRedrawn()
    {
        SyntheticDataset.Write(_synthetic, new SyntheticOptions { Sequences = 2, Frames = 6, Width = 160, Height = 120, Seed = 7 });
        var dataset = DatasetReader.Open(_synthetic);
        var f = Function([dataset], 0, seed: 3);
        var first = f.PairFor(0, 0, 0);
        var sequence = dataset.Sequences[first.Template.Sequence];
        File.WriteAllBytes(sequence.FramePaths[first.Template.Frame], "this is not a jpeg"u8.ToArray());

        var e = Assert.Throws<FrameReadException>(() => f.Build(new SampleContext(0, 0, 0, new Random(1))));
        Assert.Equal(sequence.Name, e.Sequence);
        Assert.Equal(first.Template.Frame, e.Frame);

        var loader = new SampleLoader<SiamFCppTrainingSample>(f.AsSampleFunction(),
            new LoaderOptions { BatchSize = 1, EpochLength = 1, Workers = 1, Seed = 2, MaxConsecutiveFailures = 20 });
        using var sample = loader.BuildSample(0, 0);
        Assert.Equal([3L, 303, 303], sample.ImX.shape);
        Assert.NotEmpty(loader.Failures);
        Assert.Equal(sequence.Name, loader.Failures[0].Sequence);
    }
}
