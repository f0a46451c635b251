namespace TrackSharp.Training.Monitoring;

/// <summary>
/// Writes each iteration's numbers to TensorBoard with video_analyst's <c>TensorboardLogger</c> tags, at the
/// report's global step (<c>iteration + epoch · iterations_per_epoch</c>): <c>schedule_info/lr</c>,
/// <c>training_losses/&lt;loss&gt;</c>, <c>extras/&lt;loss&gt;/&lt;name&gt;</c> and, as the reference's recursive
/// walk also does, <c>time_dict/&lt;phase&gt;</c> (off with <paramref name="phaseTimes"/> = false).
/// The writer is created at the first update, so an interrupted start leaves no empty event file.
/// </summary>
public sealed class TensorBoardMonitor(string logDirectory, bool phaseTimes = true, int flushEvery = 20) : ITrainingMonitor
{
    private TensorBoardWriter? _writer;
    private int _sinceFlush;

    public string LogDirectory { get; } = logDirectory;

    /// <summary>The event file, once the first update created it.</summary>
    public string? FilePath => _writer?.FilePath;

    public void Update(IterationReport r)
    {
        _writer ??= new TensorBoardWriter(LogDirectory);
        foreach (var (tag, value) in Scalars(r, phaseTimes))
            _writer.AddScalar(tag, value, r.GlobalStep);
        if (++_sinceFlush >= flushEvery)
        {
            _writer.Flush();
            _sinceFlush = 0;
        }
    }

    /// <summary>The (tag, value) pairs one report produces, in the order they are written.</summary>
    public static IEnumerable<(string Tag, double Value)> Scalars(IterationReport r, bool phaseTimes = true)
    {
        foreach (var (name, value) in r.Schedule) yield return ("schedule_info/" + name, value);
        foreach (var (name, value) in r.Losses) yield return ("training_losses/" + name, value);
        foreach (var (loss, extras) in r.Extras)
            foreach (var (name, value) in extras) yield return ($"extras/{loss}/{name}", value);
        if (phaseTimes)
            foreach (var (name, value) in r.PhaseSeconds) yield return ("time_dict/" + name, value);
    }

    public void Dispose() => _writer?.Dispose();
}
