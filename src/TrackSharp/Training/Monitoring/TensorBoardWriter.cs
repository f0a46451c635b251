using System.Globalization;

namespace TrackSharp.Training.Monitoring;

/// <summary>
/// Writes scalars to a TensorBoard event file (<c>events.out.tfevents.&lt;unix time&gt;.&lt;host&gt;</c> in
/// <see cref="LogDirectory"/>), readable with <c>tensorboard --logdir DIR</c>: TFRecord-framed <c>Event</c>
/// protos, the first one carrying <c>file_version = "brain.Event:2"</c>. Thread-safe; buffered, so call
/// <see cref="Flush"/> to make recent scalars visible to a running TensorBoard; <see cref="Dispose"/> flushes.
/// </summary>
public sealed class TensorBoardWriter : IDisposable
{
    private readonly object _lock = new();
    private readonly FileStream _stream;
    private bool _disposed;

    /// <param name="logDirectory">Created if missing. Each writer starts a new file there.</param>
    /// <param name="clock">Wall-clock source (UTC); tests pass a fixed one.</param>
    public TensorBoardWriter(string logDirectory, Func<DateTimeOffset>? clock = null)
    {
        Clock = clock ?? (() => DateTimeOffset.UtcNow);
        LogDirectory = Path.GetFullPath(logDirectory);
        Directory.CreateDirectory(LogDirectory);
        var now = Clock();
        string host = SafeHost();
        string baseName = $"events.out.tfevents.{now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}.{host}";
        string path = Path.Combine(LogDirectory, baseName);
        // Two writers started in the same second in the same folder must not share a file.
        for (int n = 1; File.Exists(path); n++)
            path = Path.Combine(LogDirectory, $"{baseName}.{n.ToString(CultureInfo.InvariantCulture)}");
        FilePath = path;
        _stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16);
        WriteRecord(TensorBoardEvent.FileVersionEvent(WallTime(now)));
    }

    public string LogDirectory { get; }

    /// <summary>The event file this writer appends to.</summary>
    public string FilePath { get; }

    private Func<DateTimeOffset> Clock { get; }

    /// <summary>Appends one scalar (stored as float32, as TensorBoard's <c>simple_value</c> is).</summary>
    public void AddScalar(string tag, double value, long globalStep)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        WriteRecord(TensorBoardEvent.ScalarEvent(WallTime(Clock()), globalStep, tag, (float)value));
    }

    /// <summary>Pushes buffered events to the file.</summary>
    public void Flush()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _stream.Flush(flushToDisk: false);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            _stream.Flush();
            _stream.Dispose();
        }
    }

    private void WriteRecord(byte[] eventBytes)
    {
        byte[] record = TfRecord.Frame(eventBytes);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _stream.Write(record);
        }
    }

    /// <summary>Seconds since the Unix epoch with sub-second precision, as TensorBoard's wall_time is.</summary>
    private static double WallTime(DateTimeOffset t) => (t - DateTimeOffset.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;

    private static string SafeHost()
    {
        string host;
        try { host = Environment.MachineName; }
        catch (InvalidOperationException) { host = "localhost"; }
        var chars = host.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray();
        return chars.Length == 0 ? "localhost" : new string(chars);
    }
}
