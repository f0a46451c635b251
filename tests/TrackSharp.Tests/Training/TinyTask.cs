using TorchSharp;
using TrackSharp.Training.Engine;
using TrackSharp.Training.Monitoring;
using static TorchSharp.torch;

namespace TrackSharp.Tests.Training;

/// <summary>The tiny model as an <see cref="ITrainingTask{TBatch}"/>: data from the global step, a linear LR
/// decay set on both param groups (the first at a tenth), MSE split into two named losses, one extra.</summary>
internal sealed class TinyTask : ITrainingTask<(Tensor X, Tensor Y)>, IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _model;

    public TinyTask(int seed, Func<nn.Module, optim.Optimizer>? optimizer = null)
    {
        _model = TinyTraining.Model(seed);
        Optimizer = (optimizer ?? TinyTraining.Sgd)(_model);
    }

    public nn.Module Model => _model;
    public optim.Optimizer Optimizer { get; }
    public List<int> EpochsBegun { get; } = [];
    public TrainerState? Restored { get; private set; }

    public void BeginEpoch(int epoch) => EpochsBegun.Add(epoch);

    public (Tensor X, Tensor Y) NextBatch(TrainingPosition at) => TinyTraining.Batch(at.GlobalStep);

    public IReadOnlyList<KeyValuePair<string, double>> Schedule(TrainingPosition at)
    {
        double lr = 0.1 * (1.0 - at.GlobalStep / 100.0);
        var groups = Optimizer.ParamGroups.ToList();
        groups[0].LearningRate = lr * 0.1;
        groups[1].LearningRate = lr;
        return [KeyValuePair.Create("lr", lr)];
    }

    public StepOutput Forward((Tensor X, Tensor Y) batch, TrainingPosition at)
    {
        var pred = _model.call(batch.X);
        var first = nn.functional.mse_loss(pred[.., 0], batch.Y[.., 0]);
        var second = nn.functional.mse_loss(pred[.., 1], batch.Y[.., 1]);
        return new StepOutput([KeyValuePair.Create("a", first), KeyValuePair.Create("b", second)],
            [KeyValuePair.Create("b", (IReadOnlyList<KeyValuePair<string, double>>)[KeyValuePair.Create("mean", pred.mean().ToDouble())])]);
    }

    public IReadOnlyDictionary<string, string> CheckpointValues() => new Dictionary<string, string> { ["task"] = "tiny" };

    public void Restore(TrainerState state) => Restored = state;

    public void Dispose()
    {
        Optimizer.Dispose();
        _model.Dispose();
    }
}

/// <summary>Records every report; optionally cancels once a given step has run.</summary>
internal sealed class RecordingMonitor(CancellationTokenSource? cancel = null, long cancelAfterStep = -1) : ITrainingMonitor
{
    public List<IterationReport> Reports { get; } = [];

    public void Update(IterationReport report)
    {
        Reports.Add(report);
        if (report.GlobalStep == cancelAfterStep) cancel?.Cancel();
    }

    public void Dispose() { }
}
