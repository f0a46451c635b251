namespace TrackSharp.Training.Monitoring;

/// <summary>
/// Observes a training run: <see cref="Update"/> once per iteration, after the optimizer step. Monitors must
/// not touch tensors (the report holds plain numbers) and must be cheap: they run on the training thread.
/// Dispose flushes whatever they buffer (the trainer's owner disposes them at the end of the run).
/// </summary>
public interface ITrainingMonitor : IDisposable
{
    void Update(IterationReport report);
}
