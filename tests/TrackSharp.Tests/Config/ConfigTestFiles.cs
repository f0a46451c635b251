namespace TrackSharp.Tests.Config;

/// <summary>Golden config paths and temporary edited copies (a folder per instance, deleted at dispose).</summary>
internal sealed class ConfigTestFiles : IDisposable
{
    public static string Golden(string relative) => Path.Combine(TestPaths.Shared, "golden", relative);

    public ConfigTestFiles()
    {
        Folder = Path.Combine(Path.GetTempPath(), "tracksharp-config-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    public string Write(string name, string text)
    {
        string path = Path.Combine(Folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>A copy of a golden file with line <paramref name="line"/> (1-based) replaced.</summary>
    public string WithLine(string golden, string name, int line, string replacement)
    {
        var lines = File.ReadAllLines(Golden(golden));
        lines[line - 1] = replacement;
        return Write(name, string.Join("\n", lines) + "\n");
    }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
