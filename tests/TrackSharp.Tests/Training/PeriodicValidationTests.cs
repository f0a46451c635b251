using TorchSharp;
using TrackSharp.Data.Loading;
using TrackSharp.Training.Engine;
using TrackSharp.Training.Monitoring;
using Xunit;
using static TorchSharp.torch;

namespace TrackSharp.Tests.Training;

/// <summary>
/// The shared ltr-style validation pass on a fake loader: sample i of loader epoch e holds the value 100·e + 2·i + 1,
/// two samples a batch, two batches an epoch, so every expected mean below is worked out by hand from that rule.
/// </summary>
public class PeriodicValidationTests
{
    private static SampleLoader<ValueSample> Loader() =>
        new(context => new ValueSample(100f * context.Epoch + 2f * context.Index + 1f),
            new LoaderOptions { BatchSize = 2, EpochLength = 4, Workers = 1, Prefetch = 1, Seed = 3 });

    /// <summary>Stats of one batch, deliberately not in alphabetical order: the batch mean, its index + 0.5, a constant.</summary>
    private static IReadOnlyList<KeyValuePair<string, double>> Stats(TensorBatch batch) =>
    [
        new("Loss/total", batch["value"].mean().ToDouble()),
        new("IoU", batch.Index + 0.5),
        new("Alpha", 10),
    ];

    private sealed class Recorder
    {
        public List<string> Calls { get; } = [];
        public List<(int Epoch, IReadOnlyList<KeyValuePair<string, double>> Means)> Passes { get; } = [];
        public List<IterationReport> Batches { get; } = [];

        public PeriodicValidation<ValueSample> Create(SampleLoader<ValueSample>? loader, int interval)
        {
            var validation = new PeriodicValidation<ValueSample>(loader, interval, (batch, epochsDone) =>
            {
                Calls.Add($"batch {batch.Epoch}/{batch.Index} at {epochsDone} grad={is_grad_enabled()}");
                return Stats(batch);
            }, training => Calls.Add(training ? "train" : "eval"));
            validation.Validated = (epoch, means) => Passes.Add((epoch, means));
            validation.BatchValidated = Batches.Add;
            return validation;
        }
    }

    [Fact]
    public void RunsAfterEveryIntervalthEpochOnceOnTheLoadersPreviousEpoch()
    {
        var recorder = new Recorder();
        var validation = recorder.Create(Loader(), interval: 2);

        var ran = new List<int>();
        foreach (int epochsDone in new[] { 0, 1, 2, 2, 3, 4, 3, 4, 5 })
            if (validation.RunIfDue(epochsDone)) ran.Add(epochsDone);

        Assert.Equal([2, 4], ran);
        Assert.Equal([2, 4], recorder.Passes.Select(p => p.Epoch));
        Assert.Equal(4, validation.ValidatedEpoch);
        Assert.Equal(
        [
            "eval", "batch 1/0 at 2 grad=False", "batch 1/1 at 2 grad=False", "train",
            "eval", "batch 3/0 at 4 grad=False", "batch 3/1 at 4 grad=False", "train",
        ], recorder.Calls);
    }

    [Fact]
    public void MeansAreBatchAveragesInFirstSeenOrder()
    {
        var recorder = new Recorder();
        var validation = recorder.Create(Loader(), interval: 1);

        Assert.True(validation.RunIfDue(2));

        // Loader epoch 1: batch 0 holds 101, 103 (mean 102), batch 1 holds 105, 107 (mean 106).
        var (epoch, means) = Assert.Single(recorder.Passes);
        Assert.Equal(2, epoch);
        Assert.Equal(["Loss/total", "IoU", "Alpha"], means.Select(m => m.Key));
        Assert.Equal(104.0, means[0].Value, 1e-9);
        Assert.Equal(1.0, means[1].Value, 1e-9);
        Assert.Equal(10.0, means[2].Value, 1e-9);

        // Per batch: 0-based epoch of the pass, batch i of n, "Loss/total" as the loss, the stats as extras.
        Assert.Equal([(1, 2, 0, 2), (1, 2, 1, 2)],
            recorder.Batches.Select(r => (r.Epoch, r.MaxEpoch, r.Iteration, r.IterationsPerEpoch)));
        Assert.Equal([102.0, 106.0], recorder.Batches.Select(r => Assert.Single(r.Losses).Value));
        Assert.Equal(["stats"], recorder.Batches[0].Extras.Select(e => e.Key));
        Assert.Equal([0.5, 1.5], recorder.Batches.Select(r => r.Extras[0].Value[1].Value));
        Assert.All(recorder.Batches, r => Assert.Equal([PhaseTimer.Data, PhaseTimer.Forward], r.PhaseSeconds.Select(p => p.Key)));
    }

    [Fact]
    public void RestoredValidatedEpochIsNotValidatedAgain()
    {
        var first = new Recorder();
        var before = first.Create(Loader(), interval: 2);
        before.RunIfDue(2);
        var values = before.CheckpointValues();
        Assert.Equal("2", values[PeriodicValidation<ValueSample>.CheckpointKey]);
        Assert.Equal("validated_epoch", PeriodicValidation<ValueSample>.CheckpointKey);

        var second = new Recorder();
        var resumed = second.Create(Loader(), interval: 2);
        resumed.Restore(new TrainerState { Values = new Dictionary<string, string>(values) });
        Assert.Equal(2, resumed.ValidatedEpoch);
        Assert.False(resumed.RunIfDue(2));
        Assert.Empty(second.Calls);
        Assert.True(resumed.RunIfDue(4));
        Assert.Equal([4], second.Passes.Select(p => p.Epoch));
    }

    [Fact]
    public void CheckpointWithoutTheValueKeepsNothingValidated()
    {
        var recorder = new Recorder();
        var validation = recorder.Create(Loader(), interval: 1);
        validation.Restore(new TrainerState());
        validation.Restore(new TrainerState { Values = new Dictionary<string, string> { ["validated_epoch"] = "x" } });
        Assert.Equal(0, validation.ValidatedEpoch);
        Assert.True(validation.RunIfDue(1));
    }

    [Fact]
    public void WithoutALoaderNothingRuns()
    {
        var recorder = new Recorder();
        var validation = recorder.Create(null, interval: 1);
        Assert.False(validation.Enabled);
        Assert.False(validation.RunIfDue(1));
        Assert.Empty(recorder.Calls);
        Assert.Equal("0", validation.CheckpointValues()["validated_epoch"]);
    }

    [Fact]
    public void AFailingBatchStillRestoresTrainingMode()
    {
        var calls = new List<string>();
        var validation = new PeriodicValidation<ValueSample>(Loader(), 1,
            (_, _) => throw new InvalidOperationException("forward failed"), training => calls.Add(training ? "train" : "eval"));
        Assert.Throws<InvalidOperationException>(() => validation.RunIfDue(1));
        Assert.Equal(["eval", "train"], calls);
        Assert.Equal(1, validation.ValidatedEpoch);
    }
}
