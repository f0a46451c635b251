using System.Globalization;
using System.Text.RegularExpressions;
using TrackSharp.Imaging;

namespace TrackSharp.Data.Datasets;

/// <summary>
/// The image files of one frame folder, in frame order. Only image extensions count (a <c>.DS_Store</c> or a
/// <c>groundtruth.txt</c> next to the frames is not a frame) and hidden files are skipped. When every name is
/// <c>prefix + number + extension</c> with one prefix and extension (0001.jpg, 00000001.jpg, 0.jpg ...), frames
/// are placed by their number from the first one (OTB David starts at 0300.jpg), so a gap in the numbering is a
/// missing frame at its own place rather than a shift of every later frame.
/// </summary>
public sealed class FrameListing
{
    private static readonly Regex Numbered = new(@"^(?<prefix>.*?)(?<number>\d+)(?<ext>\.[A-Za-z0-9]+)$", RegexOptions.CultureInvariant);

    private readonly string? _prefix, _extension;
    private readonly int _width;
    private readonly List<string> _paths;
    private readonly HashSet<string> _present;

    private FrameListing(string folder, List<string> paths, HashSet<string> present, long? first, string? prefix,
        string? extension, int width)
    {
        Folder = folder;
        _paths = paths;
        _present = present;
        FirstNumber = first;
        _prefix = prefix;
        _extension = extension;
        _width = width;
    }

    /// <summary>The folder that was listed.</summary>
    public string Folder { get; }

    /// <summary>True when the folder exists.</summary>
    public bool FolderExists => Directory.Exists(Folder);

    /// <summary>Frame paths in order, from the first file to the last, gaps filled with the names they should have.</summary>
    public IReadOnlyList<string> Paths => _paths;

    /// <summary>Number of image files that exist.</summary>
    public int FilesOnDisk => _present.Count;

    /// <summary>The number of the first frame when the names are numbered (300 for OTB David), else null.</summary>
    public long? FirstNumber { get; }

    /// <summary>True when frame names follow one numbered pattern, so frames past the last file can be named.</summary>
    public bool IsNumbered => FirstNumber is not null;

    /// <summary>True when the path exists among the listed files.</summary>
    public bool Exists(string path) => _present.Contains(path);

    /// <summary>Paths of frames 0 .. count-1: the listed ones, then (numbered folders only) the names the next frames
    /// would have. Fewer than <paramref name="count"/> when names are not numbered and files run out.</summary>
    public IReadOnlyList<string> Take(int count)
    {
        if (count <= _paths.Count) return _paths.GetRange(0, count);
        if (!IsNumbered) return _paths;
        var result = new List<string>(_paths);
        for (long n = FirstNumber!.Value + _paths.Count; result.Count < count; n++) result.Add(NameFor(n));
        return result;
    }

    /// <summary>A listing of given frame files, in the given order (COCO: one image per sequence; ImageNet-VID: the
    /// frames a track spans). Each file is looked up once, here.</summary>
    public static FrameListing OfFiles(string folder, IEnumerable<string> paths)
    {
        var list = paths.Select(Path.GetFullPath).ToList();
        var present = new HashSet<string>(list.Where(File.Exists), StringComparer.Ordinal);
        return new FrameListing(Path.GetFullPath(folder), list, present, null, null, null, 0) { IsFileList = true };
    }

    /// <summary>True for a listing of given files (<see cref="OfFiles"/>) rather than of a folder's content.</summary>
    public bool IsFileList { get; private init; }

    /// <summary>Lists <paramref name="folder"/> (no error when it does not exist: the listing is empty).</summary>
    public static FrameListing Of(string folder)
    {
        folder = Path.GetFullPath(folder);
        var files = Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder)
                .Where(f => ImageFileReader.HasImageExtension(f) && !Path.GetFileName(f).StartsWith('.'))
                .OrderBy(Path.GetFileName, NaturalStringComparer.Instance)
                .ToList()
            : new List<string>();
        var present = new HashSet<string>(files, StringComparer.Ordinal);
        if (files.Count == 0) return new FrameListing(folder, files, present, null, null, null, 0);

        string? prefix = null, ext = null;
        var byNumber = new Dictionary<long, string>();
        foreach (string f in files)
        {
            var m = Numbered.Match(Path.GetFileName(f));
            if (!m.Success || !long.TryParse(m.Groups["number"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long n))
                return new FrameListing(folder, files, present, null, null, null, 0);
            string p = m.Groups["prefix"].Value, e = m.Groups["ext"].Value;
            prefix ??= p;
            ext ??= e;
            if (p != prefix || e != ext || !byNumber.TryAdd(n, f))
                return new FrameListing(folder, files, present, null, null, null, 0);
        }
        // Padding width: the longest run of digits when names are padded (0001 .. 0120 all have 4).
        int padded = files.Select(f => Numbered.Match(Path.GetFileName(f)).Groups["number"].Value)
            .Where(d => d.Length > 1 && d[0] == '0').Select(d => d.Length).DefaultIfEmpty(0).Max();
        long first = byNumber.Keys.Min(), last = byNumber.Keys.Max();
        if (last - first > 10_000_000) return new FrameListing(folder, files, present, null, null, null, 0);
        var listing = new FrameListing(folder, new List<string>(), present, first, prefix, ext, padded);
        for (long n = first; n <= last; n++)
        {
            // An existing file keeps its own name (1.jpg next to 0002.jpg); a gap gets the name it should have.
            listing._paths.Add(byNumber.TryGetValue(n, out string? existing) ? existing : listing.NameFor(n));
        }
        return listing;
    }

    private string NameFor(long number) => Path.Combine(Folder,
        _prefix + number.ToString(_width > 0 ? new string('0', _width) : "0", CultureInfo.InvariantCulture) + _extension);
}
