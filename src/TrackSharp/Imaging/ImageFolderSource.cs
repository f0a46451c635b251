namespace TrackSharp.Imaging;

/// <summary>
/// The images of one folder (jpg, jpeg, png, bmp, webp; not recursive) in natural file-name order, the layout
/// of OTB, GOT-10k, LaSOT and most tracking benchmarks. Other files (ground truth, .DS_Store) and hidden files
/// (macOS "._0001.jpg" resource forks, which carry an image extension but are not images) are ignored.
/// </summary>
public sealed class ImageFolderSource : IFrameSource
{
    private readonly string[] _files;

    /// <exception cref="FrameSourceException">The folder does not exist or holds no images.</exception>
    public ImageFolderSource(string folder)
    {
        if (!Directory.Exists(folder))
            throw new FrameSourceException(folder, $"image folder '{folder}' does not exist");
        Folder = Path.GetFullPath(folder);
        _files = Directory.EnumerateFiles(Folder)
            .Where(f => ImageFileReader.HasImageExtension(f) && !Path.GetFileName(f).StartsWith('.'))
            .OrderBy(Path.GetFileName, NaturalStringComparer.Instance)
            .ToArray();
        if (_files.Length == 0)
            throw new FrameSourceException(folder,
                $"folder '{folder}' holds no images ({string.Join(", ", ImageFileReader.Extensions)})");
    }

    /// <summary>Absolute path of the folder.</summary>
    public string Folder { get; }

    /// <summary>The image files in the order they are delivered.</summary>
    public IReadOnlyList<string> Files => _files;

    public int? Count => _files.Length;

    public double? Fps => null;

    public string Description => $"image folder {Folder} ({_files.Length} images)";

    public IEnumerable<Frame> Frames()
    {
        for (int i = 0; i < _files.Length; i++)
        {
            var image = ImageFileReader.TryRead(_files[i], out string? error);
            yield return new Frame(i, image, _files[i], error is null ? null : $"frame {i}: {error}");
        }
    }

    public void Dispose()
    {
    }
}
