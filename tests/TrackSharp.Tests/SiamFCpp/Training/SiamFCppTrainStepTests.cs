using TrackSharp.Data.Datasets;
using TrackSharp.Data.Loading;
using TrackSharp.Data.Synthetic;
using TrackSharp.Trackers.SiamFCpp;
using TrackSharp.Trackers.SiamFCpp.Training;
using TrackSharp.Training.Schedules;
using Xunit;
using static TorchSharp.torch;

namespace TrackSharp.Tests.SiamFCpp.Training;

/// <summary>
/// <see cref="SiamFCppTrainStep"/> beyond the golden iteration (SiamFCppLossTrainStepTests): param-group errors, and
/// two iterations on loader batches of a synthetic dataset — group lrs from a hand-computed schedule, frozen
/// parameters unchanged, trained ones moved, finite losses.
/// </summary>
public sealed class SiamFCppTrainStepTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tracksharp-fcpp-step-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static readonly SiamFCppSgdSettings Sgd = new(0.1, 0.9, 5e-5, false, 0, 32, 400000);

    [Fact]
    public void OverlappingOrEmptyGroupsAreRejectedByName()
    {
        using var model = new SiamFCppModel(SiamFCppModelConfig.Small);
        var schedule = MultiStageLrSchedule.SiamFCppAlexNet();
        var overlap = Assert.Throws<ArgumentException>(() => new SiamFCppTrainStep(model, schedule,
            [new LrMultiplier("backbone", "basemodel", 0.1), new LrMultiplier("all", ".*", 1)], Sgd));
        Assert.Contains("basemodel.conv1.conv.weight", overlap.Message);
        var empty = Assert.Throws<ArgumentException>(() => new SiamFCppTrainStep(model, schedule,
            [new LrMultiplier("none", "^nothing$", 1)], Sgd));
        Assert.Contains("'none'", empty.Message);
        using var partial = new SiamFCppTrainStep(model, schedule, [new LrMultiplier("head", "^head\\.", 1)], Sgd);
        Assert.Contains("basemodel.conv1.conv.weight", partial.UngroupedParameters);
        Assert.All(partial.GroupParameterNames[0], n => Assert.StartsWith("head.", n));
    }

    [Fact]
    public void TwoIterationsOnLoaderBatchesMoveOnlyTrainableParameters()
    {
        SyntheticDataset.Write(_root, new SyntheticOptions { Sequences = 2, Frames = 8, Width = 200, Height = 150, Seed = 5 });
        var datasets = new[] { DatasetReader.Open(_root) };
        var f = new SiamFCppSampleFunction(SiamFCppSampleFunction.CreateSampler(datasets, 0.25, 100, seed: 1), datasets,
            new SiamFCppSampleBuilder());
        var loader = new SampleLoader<SiamFCppTrainingSample>(f.AsSampleFunction(),
            new LoaderOptions { BatchSize = 2, EpochLength = 4, Workers = 1, Seed = 3 });

        manual_seed(7);
        using var model = new SiamFCppModel(SiamFCppModelConfig.Small);
        // Linear 0.01 -> 0.02 over one epoch of 10 iterations: iteration i has lr 0.01 + 0.01 * i / 10.
        var schedule = new MultiStageLrSchedule([LrPhase.Linear(0.01, 0.02, 1)], 10);
        var freezer = new DynamicFreezer([new FreezeRule("isConv", @"basemodel\.conv.\.conv.*", 0, true)]);
        using var step = new SiamFCppTrainStep(model, schedule,
            [new LrMultiplier("backbone", "basemodel", 0.1), new LrMultiplier("other", "^((?!basemodel).)*$", 1)], Sgd, freezer);
        var frozen = step.BeginEpoch(0);
        Assert.Equal(10, frozen.Count);
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

        int iteration = 0;
        foreach (var batch in loader.Epoch(0))
        {
            using (batch)
            {
                var r = step.Run(0, iteration, batch);
                double lr = 0.01 + 0.01 * iteration / 10.0;
                Assert.Equal(lr, r.LearningRate, 15);
                Assert.Equal(lr * 0.1, r.GroupLearningRates[0], 15);
                Assert.Equal(lr, r.GroupLearningRates[1], 15);
                Assert.All(r.Losses.Values.Append(r.Total).Append(r.Extras["reg"]["iou"]), v => Assert.True(double.IsFinite(v)));
                Assert.Equal(r.Losses["cls"] + r.Losses["ctr"] + r.Losses["reg"], r.Total, 4);
            }
            iteration++;
        }
        Assert.Equal(2, iteration);
        foreach (var (name, p) in model.named_parameters())
        {
            bool same = p.detach().eq(before[name]).all().item<bool>();
            if (frozen.Contains(name)) Assert.True(same, $"{name} is frozen but changed");
            else if (name is "head.si" or "head.bi" or "head.cls_p5_conv1.conv.weight" or "basemodel.conv1.bn.weight")
                Assert.False(same, $"{name} trains but did not change");
        }
        foreach (var t in before.Values) t.Dispose();
    }
}
