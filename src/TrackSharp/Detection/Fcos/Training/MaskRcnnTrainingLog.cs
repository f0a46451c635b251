using System.Globalization;
using TrackSharp.Training.Monitoring;

namespace TrackSharp.Detection.Fcos.Training;

/// <summary>
/// maskrcnn-benchmark's <c>do_train</c> log line, written after iteration <c>i</c> (1-based) when
/// <c>i % 20 == 0 or i == max_iter</c>:
/// <c>eta: 0:01:23  iter: 20  loss: 1.2345 (1.3456)  loss_cls: ... (...)  ...  time: 0.2100 (0.2200)  data: 0.0100 (0.0110)  lr: 0.003333  max mem: 512M</c>.
/// Meters are <c>name: median (global average)</c> over a 20-value window (<see cref="MeterSet"/>) in the reference's
/// update order: the total loss, the losses, then <c>time</c> (seconds of the iteration, the sum of the engine's phase
/// timings) and <c>data</c>; <c>eta</c> is <c>timedelta(seconds=int(time.global_avg * (max_iter - i)))</c>.
/// After a resume the meters start empty, as in the reference.
/// </summary>
public sealed class MaskRcnnTrainingLog(Action<string> write, long maxIter, int every = 20) : ITrainingMonitor
{
    private readonly MeterSet _meters = new();

    /// <summary>The meters (for tests and progress displays).</summary>
    public MeterSet Meters => _meters;

    /// <summary>The last line formatted (also for iterations that were not written).</summary>
    public string LastLine { get; private set; } = "";

    public void Update(IterationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        _meters.Update("loss", report.TotalLoss);
        _meters.Update(report.Losses);
        double seconds = report.PhaseSeconds.Sum(p => p.Value);
        double data = report.PhaseSeconds.Where(p => p.Key == PhaseTimer.Data).Sum(p => p.Value);
        _meters.Update("time", seconds);
        _meters.Update("data", data);
        long iteration = report.GlobalStep + 1;
        double lr = report.Schedule.FirstOrDefault(s => s.Key == "lr").Value;
        LastLine = Format(iteration, maxIter, _meters, lr, report.MaxMemoryBytes);
        if (iteration % every == 0 || iteration == maxIter) write(LastLine);
    }

    /// <summary>The reference line after 1-based <paramref name="iteration"/>; the <c>time</c> meter gives the eta.</summary>
    public static string Format(long iteration, long maxIter, MeterSet meters, double lr, long maxMemoryBytes)
    {
        ArgumentNullException.ThrowIfNull(meters);
        double perIteration = meters.Contains("time") ? meters["time"].GlobalAverage : 0;
        string eta = PythonTimedelta((long)(perIteration * (maxIter - iteration)));
        string d = meters.Delimiter;
        return string.Join(d,
            "eta: " + eta,
            "iter: " + iteration.ToString(CultureInfo.InvariantCulture),
            meters.ToString(),
            "lr: " + lr.ToString("F6", CultureInfo.InvariantCulture),
            "max mem: " + (maxMemoryBytes / 1024.0 / 1024.0).ToString("F0", CultureInfo.InvariantCulture));
    }

    /// <summary>Python's <c>str(datetime.timedelta(seconds=s))</c> for whole non-negative seconds:
    /// <c>H:MM:SS</c>, with <c>N day(s), </c> in front from one day on.</summary>
    public static string PythonTimedelta(long seconds)
    {
        if (seconds < 0) seconds = 0;
        long days = seconds / 86400, rest = seconds % 86400;
        string clock = string.Create(CultureInfo.InvariantCulture, $"{rest / 3600}:{rest / 60 % 60:00}:{rest % 60:00}");
        return days == 0 ? clock : string.Create(CultureInfo.InvariantCulture, $"{days} day{(days == 1 ? "" : "s")}, {clock}");
    }

    public void Dispose() { }
}
