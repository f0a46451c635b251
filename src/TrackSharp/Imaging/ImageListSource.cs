namespace TrackSharp.Imaging;

/// <summary>
/// Images named in a text file, one path per line, relative paths resolved against the list file's folder
/// (so a list travels with its images). Blank lines and lines starting with '#' are skipped. A listed file
/// that is missing or unreadable is delivered as a frame whose error names the list file and line number.
/// </summary>
public sealed class ImageListSource : IFrameSource
{
    private readonly (string Path, int Line)[] _entries;

    /// <exception cref="FrameSourceException">The list file does not exist, cannot be read or names no images.</exception>
    public ImageListSource(string listFile)
    {
        if (!File.Exists(listFile))
            throw new FrameSourceException(listFile, $"image list '{listFile}' does not exist");
        ListFile = Path.GetFullPath(listFile);
        string folder = Path.GetDirectoryName(ListFile)!;
        string[] lines;
        try
        {
            lines = File.ReadAllLines(ListFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FrameSourceException(listFile, $"cannot read image list '{listFile}': {e.Message}", e);
        }
        var entries = new List<(string, int)>();
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            entries.Add((Path.GetFullPath(line, folder), i + 1));
        }
        if (entries.Count == 0)
            throw new FrameSourceException(listFile, $"image list '{listFile}' names no images");
        _entries = entries.ToArray();
    }

    /// <summary>Absolute path of the list file.</summary>
    public string ListFile { get; }

    /// <summary>The resolved image paths with the 1-based line each came from.</summary>
    public IReadOnlyList<(string Path, int Line)> Entries => _entries;

    public int? Count => _entries.Length;

    public double? Fps => null;

    public string Description => $"image list {ListFile} ({_entries.Length} images)";

    public IEnumerable<Frame> Frames()
    {
        for (int i = 0; i < _entries.Length; i++)
        {
            var (path, line) = _entries[i];
            var image = ImageFileReader.TryRead(path, out string? error);
            yield return new Frame(i, image, path, error is null ? null : $"{ListFile} line {line} (frame {i}): {error}");
        }
    }

    public void Dispose()
    {
    }
}
