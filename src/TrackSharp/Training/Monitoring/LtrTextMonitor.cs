using System.Globalization;
using System.Text;
namespace TrackSharp.Training.Monitoring;

/// <summary>
/// Console lines in the layout of pytracking's <c>LTRTrainer._print_stats</c>, which OSTrack's trainer inherits, every
/// <see cref="Every"/> iterations and at the last one of each epoch (1-based epoch and iteration, as the reference
/// counts): <c>[train: 1, 50 / 1250] FPS: 34.2 (30.1)  ,  Loss/total: 1.23456  ,  Loss/bb_ce: ...</c>.
/// FPS is samples per second over the epoch so far (in brackets: this batch); the statistics are the epoch's running
/// means (the reference's <c>AverageMeter</c>s, reset each epoch), taken from the report's extras.
/// With <paramref name="printTimes"/> the line carries OSTrack's additions after the FPS:
/// <c>DataTime: 0.012 (0.000)  ,  ForwardTime: 0.456  ,  TotalTime: 0.901</c>, seconds per batch averaged over the
/// epoch (data loading; forward + backward + step; everything).
/// </summary>
public sealed class LtrTextMonitor(Action<string> write, int every, int batchSize, bool printTimes, string loaderName = "train")
    : ITrainingMonitor
{
    private readonly Dictionary<string, (double Sum, int Count)> _means = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private int _epoch = -1, _batches;
    private double _dataSeconds, _computeSeconds;

    public int Every { get; } = every >= 1 ? every : throw new ArgumentOutOfRangeException(nameof(every), "must be at least 1");

    /// <summary>The last line formatted.</summary>
    public string LastLine { get; private set; } = "";

    public void Update(IterationReport report)
    {
        if (report.Epoch != _epoch)
        {
            _epoch = report.Epoch;
            _means.Clear();
            _order.Clear();
            _batches = 0;
            _dataSeconds = _computeSeconds = 0;
        }
        double data = report.PhaseSeconds.Where(p => p.Key == PhaseTimer.Data).Sum(p => p.Value);
        double compute = report.PhaseSeconds.Where(p => p.Key != PhaseTimer.Data).Sum(p => p.Value);
        _batches++;
        _dataSeconds += data;
        _computeSeconds += compute;
        foreach (var (_, values) in report.Extras)
            foreach (var (name, value) in values)
            {
                if (!_means.TryGetValue(name, out var m)) _order.Add(name);
                _means[name] = (m.Sum + value, m.Count + 1);
            }

        int i = report.Iteration + 1;
        var sb = new StringBuilder();
        sb.Append('[').Append(loaderName).Append(": ").Append(Int(report.Epoch + 1)).Append(", ").Append(Int(i)).Append(" / ")
            .Append(Int(report.IterationsPerEpoch)).Append("] ");
        double total = _dataSeconds + _computeSeconds, batch = data + compute;
        sb.Append("FPS: ").Append(F(total > 0 ? _batches * batchSize / total : 0, 1)).Append(" (")
            .Append(F(batch > 0 ? batchSize / batch : 0, 1)).Append(")  ,  ");
        if (printTimes)
        {
            sb.Append("DataTime: ").Append(F(_dataSeconds / _batches, 3)).Append(" (0.000)  ,  ");
            sb.Append("ForwardTime: ").Append(F(_computeSeconds / _batches, 3)).Append("  ,  ");
            sb.Append("TotalTime: ").Append(F(total / _batches, 3)).Append("  ,  ");
        }
        foreach (var name in _order)
        {
            var (sum, count) = _means[name];
            sb.Append(name).Append(": ").Append(F(sum / count, 5)).Append("  ,  ");
        }
        LastLine = sb.ToString().TrimEnd(' ', ',');
        if (i % Every == 0 || i == report.IterationsPerEpoch) write(LastLine);
    }

    private static string Int(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string F(double v, int digits) => v.ToString("F" + Int(digits), CultureInfo.InvariantCulture);

    public void Dispose() { }
}
