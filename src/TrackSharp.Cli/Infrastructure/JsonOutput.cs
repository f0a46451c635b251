using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrackSharp.Cli.Infrastructure;

/// <summary>
/// Writes the machine-readable result of a verb (<c>--json FILE</c>). The write is atomic: the JSON goes to a
/// temporary file next to the target, is flushed to disk, then renamed over the target, so a reader never sees
/// half a file and an interrupted run leaves the previous result intact. Parent folders are created.
/// </summary>
public static class JsonOutput
{
    /// <summary>snake_case keys, indented, invariant numbers; NaN/Infinity written as strings rather than failing.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static void Write<T>(string path, T value)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("--json needs a file name");
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new ArgumentException($"--json {path}: is a directory, expected a file name");
        string dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);

        string tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(stream, value, Options);
                stream.WriteByte((byte)'\n');
                stream.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
            Serilog.Log.Information("wrote {Path}", full);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }
}
