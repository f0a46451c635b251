namespace TrackSharp.Training.Engine;

/// <summary>A configured training run of one family (built by an <see cref="ITrainerFactory"/>).</summary>
public interface ITrainer : IDisposable
{
    /// <summary>Iterations of the complete run (for progress bars).</summary>
    long TotalSteps { get; }

    /// <summary>Trains until done or until <paramref name="cancellation"/> fires; in the latter case stops after
    /// the current iteration and saves a checkpoint a resumed run continues from.</summary>
    TrainSummary Run(CancellationToken cancellation);
}
