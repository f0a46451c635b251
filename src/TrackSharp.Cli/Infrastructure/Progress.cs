using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

// Deliberately in the root CLI namespace, not TrackSharp.Cli.Infrastructure: code under TrackSharp.Cli.* then
// finds this Progress before Spectre.Console.Progress without an alias or an ambiguity error.
namespace TrackSharp.Cli;

/// <summary>Counter handed to the body of <see cref="Progress.Run{T}"/>: call <see cref="Increment"/> once per
/// frame (or item).</summary>
public interface IProgressCounter
{
    /// <summary>Items done so far.</summary>
    long Value { get; }

    /// <summary>The label shown in front of the bar or at the start of each plain line.</summary>
    string Description { get; set; }

    void Increment(long by = 1);
}

/// <summary>
/// Progress for frame loops and other long jobs. On an interactive terminal: a Spectre bar with description,
/// bar, percentage, count, rate ("frames/s") and ETA. When output is redirected or CI is set: plain log lines,
/// at most one every <see cref="PlainInterval"/>, and a summary line at the end, so logs stay readable.
/// <example>
/// <code>
/// var boxes = Progress.Run(console, $"tracking {name}", frames.Count, p =>
/// {
///     var list = new List&lt;BoxXywh&gt;();
///     foreach (var frame in frames) { list.Add(tracker.Track(frame).Box); p.Increment(); }
///     return list;
/// });
/// </code>
/// </example>
/// </summary>
public static class Progress
{
    /// <summary>Minimum time between two plain progress lines.</summary>
    public static TimeSpan PlainInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>True when a live bar can be drawn: an ANSI-capable, interactive terminal and not CI.</summary>
    public static bool IsInteractive(IAnsiConsole console)
    {
        if (IsCi()) return false;
        var profile = console.Profile;
        return profile.Capabilities.Interactive && profile.Capabilities.Ansi && profile.Out.IsTerminal;
    }

    /// <param name="console">Where the bar is drawn.</param>
    /// <param name="description">Label, e.g. "tracking car-1".</param>
    /// <param name="total">Number of items if known; null shows a count without percentage or ETA.</param>
    /// <param name="body">The loop; calls <see cref="IProgressCounter.Increment"/> per item.</param>
    /// <param name="unit">Plural item name used in the rate, e.g. "frames" gives "frames/s".</param>
    /// <param name="plainLog">Where plain lines go when not interactive; default: Serilog at Information.</param>
    public static T Run<T>(IAnsiConsole console, string description, long? total, Func<IProgressCounter, T> body,
        string unit = "frames", Action<string>? plainLog = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (total is < 0) throw new ArgumentOutOfRangeException(nameof(total), "total must not be negative");

        if (!IsInteractive(console))
        {
            var plain = new PlainCounter(description, total, unit,
                plainLog ?? (line => Serilog.Log.Information("{Progress}", line)), PlainInterval);
            T result = body(plain);
            plain.Finish();
            return result;
        }

        return RunBar(console, description, total, body, unit);
    }

    /// <summary>The live bar (what <see cref="Run{T}"/> uses on an interactive terminal).</summary>
    internal static T RunBar<T>(IAnsiConsole console, string description, long? total, Func<IProgressCounter, T> body,
        string unit)
    {
        return new Spectre.Console.Progress(console)
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new CountColumn(),
                new RateColumn(unit),
                new EtaColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(description), maxValue: Math.Max(1, total ?? 1));
                task.IsIndeterminate = total is null;
                T result = body(new BarCounter(task));
                if (total is null)
                {
                    task.IsIndeterminate = false;
                    task.MaxValue = Math.Max(1, task.Value);
                }
                task.StopTask();
                return result;
            });
    }

    /// <inheritdoc cref="Run{T}"/>
    public static void Run(IAnsiConsole console, string description, long? total, Action<IProgressCounter> body,
        string unit = "frames", Action<string>? plainLog = null) =>
        Run<bool>(console, description, total, p => { body(p); return true; }, unit, plainLog);

    internal static bool IsCi() =>
        Environment.GetEnvironmentVariable("CI") is { Length: > 0 } ci &&
        !ci.Equals("false", StringComparison.OrdinalIgnoreCase) && ci != "0";

    internal static string FormatDuration(TimeSpan t) =>
        t.TotalHours >= 1
            ? $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}"
            : $"{t.Minutes:00}:{t.Seconds:00}";

    private sealed class BarCounter(ProgressTask task) : IProgressCounter
    {
        public long Value => (long)task.Value;

        public string Description
        {
            get => task.Description;
            set => task.Description = Markup.Escape(value);
        }

        public void Increment(long by = 1) => task.Increment(by);
    }

    /// <summary>Counts and writes a line when <paramref name="interval"/> has passed since the last one.</summary>
    internal sealed class PlainCounter(string description, long? total, string unit, Action<string> log,
        TimeSpan interval) : IProgressCounter
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _value;
        private long _lastLogTicks;

        public long Value => Interlocked.Read(ref _value);
        public string Description { get; set; } = description;

        public void Increment(long by = 1)
        {
            Interlocked.Add(ref _value, by);
            long now = _clock.ElapsedTicks;
            long last = Interlocked.Read(ref _lastLogTicks);
            if (now - last < interval.TotalSeconds * Stopwatch.Frequency) return;
            if (Interlocked.CompareExchange(ref _lastLogTicks, now, last) != last) return;
            log(Line());
        }

        public void Finish()
        {
            double seconds = _clock.Elapsed.TotalSeconds;
            string rate = seconds > 0 ? (Value / seconds).ToString("F1", CultureInfo.InvariantCulture) : "--";
            log($"{Description}: done, {Value:N0} {unit} in {FormatDuration(_clock.Elapsed)} ({rate} {unit}/s)");
        }

        internal string Line()
        {
            long value = Value;
            double seconds = _clock.Elapsed.TotalSeconds;
            double rate = seconds > 0 ? value / seconds : 0;
            string rateText = rate > 0 ? rate.ToString("F1", CultureInfo.InvariantCulture) : "--";
            if (total is not { } t)
                return $"{Description}: {value:N0} {unit}, {rateText} {unit}/s";
            double pct = t == 0 ? 100 : 100.0 * value / t;
            string eta = rate > 0 && value < t ? FormatDuration(TimeSpan.FromSeconds((t - value) / rate)) : "--:--";
            return $"{Description}: {value:N0}/{t:N0} {unit} ({pct.ToString("F0", CultureInfo.InvariantCulture)}%), " +
                   $"{rateText} {unit}/s, ETA {eta}";
        }
    }

    private sealed class CountColumn : ProgressColumn
    {
        protected override bool NoWrap => true;

        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(task.IsIndeterminate ? $"{task.Value:N0}" : $"{task.Value:N0}/{task.MaxValue:N0}");
    }

    private sealed class RateColumn(string unit) : ProgressColumn
    {
        protected override bool NoWrap => true;

        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(task.Speed is { } s
                ? $"{s.ToString("F1", CultureInfo.InvariantCulture)} {unit}/s"
                : $"-- {unit}/s", new Style(Color.Grey));
    }

    private sealed class EtaColumn : ProgressColumn
    {
        protected override bool NoWrap => true;

        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
        {
            if (task.IsFinished)
                return new Text($"in {FormatDuration(task.ElapsedTime ?? TimeSpan.Zero)}", new Style(Color.Green));
            if (task.IsIndeterminate || task.RemainingTime is not { } left)
                return new Text("ETA --:--", new Style(Color.Blue));
            return new Text($"ETA {FormatDuration(left)}", new Style(Color.Blue));
        }
    }
}
