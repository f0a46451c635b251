namespace TrackSharp.Training.Engine;

/// <summary>What a training run did.</summary>
/// <param name="StartStep">Iterations already done when the run started (non-zero after a resume).</param>
/// <param name="GlobalStep">Iterations done when it ended.</param>
/// <param name="TotalSteps">Iterations of the complete run (max epoch · iterations per epoch).</param>
/// <param name="Cancelled">True when cancellation stopped it early (a checkpoint was saved).</param>
/// <param name="LastCheckpoint">The last checkpoint written (state JSON), if any.</param>
/// <param name="LastLosses">The losses of the last iteration.</param>
/// <param name="Elapsed">Wall time of this run.</param>
public sealed record TrainSummary(
    long StartStep,
    long GlobalStep,
    long TotalSteps,
    bool Cancelled,
    string? LastCheckpoint,
    IReadOnlyList<KeyValuePair<string, double>> LastLosses,
    TimeSpan Elapsed)
{
    public bool Finished => GlobalStep >= TotalSteps;
}
