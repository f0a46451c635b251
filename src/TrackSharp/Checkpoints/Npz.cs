using System.IO.Compression;
using TorchSharp;

namespace TrackSharp.Checkpoints;

/// <summary>
/// A numpy .npz archive (<c>numpy.savez</c> / <c>savez_compressed</c>: a zip of .npy files). Keys are the entry
/// names without ".npy" ("track/cls" is entry "track/cls.npy"). Arrays are parsed on first access and cached.
/// </summary>
public sealed class Npz : IDisposable
{
    private readonly ZipArchive _zip;
    private readonly Stream _stream;
    private readonly Dictionary<string, ZipArchiveEntry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NpyArray> _cache = new(StringComparer.Ordinal);
    private readonly List<string> _keys = new();

    private Npz(Stream stream, ZipArchive zip, string source)
    {
        _stream = stream;
        _zip = zip;
        Source = source;
        foreach (var e in zip.Entries)
        {
            if (!e.FullName.EndsWith(".npy", StringComparison.Ordinal)) continue;
            string key = e.FullName[..^4];
            if (_entries.TryAdd(key, e)) _keys.Add(key);
        }
    }

    /// <summary>Opens an .npz file; throws <see cref="FileNotFoundException"/> or
    /// <see cref="CheckpointFormatException"/> naming the file.</summary>
    public static Npz Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"npz file '{path}' does not exist.", path);
        var fs = File.OpenRead(path);
        try
        {
            return new Npz(fs, new ZipArchive(fs, ZipArchiveMode.Read), path);
        }
        catch (InvalidDataException e)
        {
            fs.Dispose();
            throw new CheckpointFormatException(path, $"'{path}' is not a readable .npz archive (truncated or not a zip): {e.Message}", e);
        }
    }

    public string Source { get; }

    /// <summary>Keys in archive order.</summary>
    public IReadOnlyList<string> Keys => _keys;

    public bool ContainsKey(string key) => _entries.ContainsKey(key);

    /// <summary>The array stored under <paramref name="key"/>; <see cref="KeyNotFoundException"/> names file and key.</summary>
    public NpyArray this[string key] => TryGet(key, out var a)
        ? a
        : throw new KeyNotFoundException($"'{Source}' has no array '{key}' (entry '{key}.npy').");

    public bool TryGet(string key, out NpyArray array)
    {
        if (_cache.TryGetValue(key, out array!)) return true;
        if (!_entries.TryGetValue(key, out var entry)) return false;
        try
        {
            using var s = entry.Open();
            array = NpyArray.Read(s, $"{Source}:{entry.FullName}");
        }
        catch (InvalidDataException e)
        {
            throw new CheckpointFormatException(Source, $"'{Source}': entry '{entry.FullName}' is corrupt: {e.Message}", e);
        }
        _cache[key] = array;
        return true;
    }

    /// <summary>Convenience: the array as a new tensor (caller owns it).</summary>
    public torch.Tensor Tensor(string key) => this[key].ToTensor();

    public void Dispose()
    {
        _zip.Dispose();
        _stream.Dispose();
    }
}
