using System.Globalization;
using TrackSharp.Training.Monitoring;

namespace TrackSharp.Trackers.SiamBAN.Training;

/// <summary>
/// pysot's trainer log (<c>tools/train.py</c> with <c>utils/average_meter.py</c> and <c>utils/misc.py print_speed</c>):
/// every <c>TRAIN.PRINT_FREQ</c> iterations a block
/// <code>
/// Epoch: [e][i/n] lr: 0.001000
/// 	batch_time: v (avg)	data_time: v (avg)
/// 	cls_loss: v (avg)	loc_loss: v (avg)
/// 	total_loss: v (avg)
/// Progress: k / N [p%], Speed: s s/iter, ETA d:hh:mm (D:H:M)
/// </code>
/// with each meter's last value and its running average since the start of this process, e 1-based and
/// i = (global iteration + 1) mod n, as the reference prints them. batch_time is the sum of the loop's timed phases.
/// </summary>
public sealed class PysotLogMonitor(Action<string> write, int printFrequency) : ITrainingMonitor
{
    private readonly Action<string> _write = write ?? throw new ArgumentNullException(nameof(write));
    private readonly Dictionary<string, (double Sum, int Count)> _meters = new(StringComparer.Ordinal);

    public int PrintFrequency { get; } = printFrequency >= 1 ? printFrequency : throw new ArgumentOutOfRangeException(nameof(printFrequency));

    public void Update(IterationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        double batchTime = report.PhaseSeconds.Sum(p => p.Value);
        double dataTime = report.PhaseSeconds.FirstOrDefault(p => p.Key == PhaseTimer.Data).Value;
        var values = new List<(string Name, double Value)> { ("batch_time", batchTime), ("data_time", dataTime) };
        values.AddRange(report.Losses.Select(l => (l.Key, l.Value)).OrderBy(l => l.Key, StringComparer.Ordinal));
        values.Add(("total_loss", report.TotalLoss));
        foreach (var (name, value) in values)
        {
            var (sum, count) = _meters.GetValueOrDefault(name);
            _meters[name] = (sum + value, count + 1);
        }
        if ((report.GlobalStep + 1) % PrintFrequency != 0) return;

        double lr = report.Schedule.FirstOrDefault(s => s.Key == "lr").Value;
        int n = report.IterationsPerEpoch;
        _write(Invariant($"Epoch: [{report.Epoch + 1}][{(report.GlobalStep + 1) % n}/{n}] lr: {lr:F6}"));
        for (int k = 0; k < values.Count; k += 2)
        {
            string line = "\t" + Meter(values[k].Name, values[k].Value) + "\t";
            if (k + 1 < values.Count) line += Meter(values[k + 1].Name, values[k + 1].Value);
            _write(line);
        }
        _write(Progress(report.GlobalStep + 1, report.TotalSteps, _meters["batch_time"].Sum / _meters["batch_time"].Count));
    }

    /// <summary><c>print_speed(i, i_time, n)</c>: <c>Progress: i / n [p%], Speed: t s/iter, ETA d:hh:mm (D:H:M)</c>.</summary>
    public static string Progress(long done, long total, double secondsPerIteration)
    {
        double remaining = (total - done) * secondsPerIteration;
        long days = (long)Math.Floor(remaining / 86400);
        long hours = (long)Math.Floor(remaining / 3600 - days * 24);
        long minutes = (long)Math.Floor(remaining / 60 - days * 1440 - hours * 60);
        long percent = total > 0 ? (long)(done / (double)total * 100) : 0;
        return Invariant($"Progress: {done} / {total} [{percent}%], Speed: {secondsPerIteration:F3} s/iter, ETA {days}:{hours:D2}:{minutes:D2} (D:H:M)");
    }

    private string Meter(string name, double value)
    {
        var (sum, count) = _meters[name];
        return Invariant($"{name}: {value:F6} ({sum / count:F6})");
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    public void Dispose() { }
}
