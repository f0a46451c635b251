using System.Globalization;
using System.Text;

namespace TrackSharp.Training.Monitoring;

/// <summary>
/// One log line per <see cref="Every"/> iterations in video_analyst's <c>TextInfo</c> layout:
/// <c>epoch 5, lr: 7.2e-02, cls: 1.164, ctr: 0.281, reg: 7.029, iou: 0.108, data: 1.2e-03, fwd: 3.4e-02,
/// bwd: 5.6e-02, optim: 1.0e-03,  max mem: 512.0M</c> — schedule values and phase seconds as <c>%.1e</c>, losses
/// and extras as <c>%.3f</c>, memory in MiB with one decimal after two spaces, as the reference prints it.
/// The last iteration of every epoch is always logged.
/// </summary>
public sealed class TextMonitor(Action<string> write, int every = 20) : ITrainingMonitor
{
    /// <summary>Log every N-th iteration (1 = every iteration).</summary>
    public int Every { get; } = every >= 1 ? every : throw new ArgumentOutOfRangeException(nameof(every), "must be at least 1");

    /// <summary>The last line formatted (also for iterations that were not written).</summary>
    public string LastLine { get; private set; } = "";

    public void Update(IterationReport report)
    {
        LastLine = Format(report);
        if ((report.Iteration + 1) % Every == 0 || report.Iteration + 1 == report.IterationsPerEpoch)
            write(LastLine);
    }

    /// <summary>The reference line for one iteration.</summary>
    public static string Format(IterationReport r)
    {
        var sb = new StringBuilder();
        sb.Append("epoch ").Append(r.Epoch.ToString(CultureInfo.InvariantCulture)).Append(", ");
        foreach (var (name, value) in r.Schedule) sb.Append(name).Append(": ").Append(Exp1(value)).Append(", ");
        foreach (var (name, value) in r.Losses) sb.Append(name).Append(": ").Append(Fixed3(value)).Append(", ");
        foreach (var (_, extras) in r.Extras)
            foreach (var (name, value) in extras) sb.Append(name).Append(": ").Append(Fixed3(value)).Append(", ");
        foreach (var (name, value) in r.PhaseSeconds) sb.Append(name).Append(": ").Append(Exp1(value)).Append(", ");
        sb.Append(" max mem: ").Append((r.MaxMemoryBytes / 1024.0 / 1024.0).ToString("F1", CultureInfo.InvariantCulture)).Append('M');
        return sb.ToString();
    }

    /// <summary>Python's <c>'%.1e'</c>: one decimal, exponent with sign and at least two digits.</summary>
    public static string Exp1(double value) => double.IsFinite(value)
        ? value.ToString("0.0e+00", CultureInfo.InvariantCulture)
        : PythonNonFinite(value);

    /// <summary>Python's <c>'%.3f'</c>.</summary>
    public static string Fixed3(double value) => double.IsFinite(value)
        ? value.ToString("F3", CultureInfo.InvariantCulture)
        : PythonNonFinite(value);

    private static string PythonNonFinite(double value) => double.IsNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";

    public void Dispose() { }
}
