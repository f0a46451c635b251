namespace TrackSharp.Training.Monitoring;

/// <summary>
/// What a trainer tells its monitors after each iteration (video_analyst's <c>engine_data</c> plus
/// <c>engine_state</c>). Every list keeps the order the trainer produced, which is the order log lines and
/// TensorBoard tags follow.
/// </summary>
/// <param name="Epoch">0-based epoch.</param>
/// <param name="MaxEpoch">Epochs the run trains in total.</param>
/// <param name="Iteration">0-based iteration inside the epoch.</param>
/// <param name="IterationsPerEpoch">Iterations of one epoch.</param>
/// <param name="GlobalStep"><c>Iteration + Epoch · IterationsPerEpoch</c>, the TensorBoard step.</param>
/// <param name="Schedule">Schedule values, e.g. <c>lr</c> (the reference's <c>schedule_info</c>).</param>
/// <param name="Losses">Named loss values of this iteration (<c>training_losses</c>).</param>
/// <param name="Extras">Per loss, named side values such as the IoU of the regression loss (<c>extras</c>).</param>
/// <param name="PhaseSeconds">Seconds per phase: data, fwd, bwd, optim (<c>time_dict</c>).</param>
/// <param name="MaxMemoryBytes">See <see cref="PeakMemory"/>.</param>
public sealed record IterationReport(
    int Epoch,
    int MaxEpoch,
    int Iteration,
    int IterationsPerEpoch,
    long GlobalStep,
    IReadOnlyList<KeyValuePair<string, double>> Schedule,
    IReadOnlyList<KeyValuePair<string, double>> Losses,
    IReadOnlyList<KeyValuePair<string, IReadOnlyList<KeyValuePair<string, double>>>> Extras,
    IReadOnlyList<KeyValuePair<string, double>> PhaseSeconds,
    long MaxMemoryBytes)
{
    /// <summary>Sum of <see cref="Losses"/> (what backward() was called on).</summary>
    public double TotalLoss => Losses.Sum(l => l.Value);

    /// <summary>Iterations of the whole run.</summary>
    public long TotalSteps => (long)MaxEpoch * IterationsPerEpoch;
}
