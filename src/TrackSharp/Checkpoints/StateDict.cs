using System.Collections;
using TorchSharp;
using static TorchSharp.torch;

namespace TrackSharp.Checkpoints;

/// <summary>
/// An ordered name -&gt; tensor map taken from a checkpoint: a bare state dict, or the one nested under
/// 'state_dict', 'net', 'model', 'module', 'model_state' (tried in that order), or under an explicit '/'-separated
/// key path. A DataParallel 'module.' prefix is removed from every key that has it; non-tensor entries are skipped
/// (listed in <see cref="SkippedKeys"/>). The StateDict owns its tensors (disposing it disposes them).
/// </summary>
public sealed class StateDict : IDisposable, IReadOnlyDictionary<string, Tensor>
{
    /// <summary>Wrapper keys tried, in order, when no key path is given.</summary>
    public static readonly IReadOnlyList<string> WrapperKeys = new[] { "state_dict", "net", "model", "module", "model_state" };

    private readonly OrderedDictionary<string, Tensor> _tensors = new(StringComparer.Ordinal);

    /// <summary>An empty state dict; <paramref name="source"/> names it in reports.</summary>
    public StateDict(string source) => Source = source;

    /// <summary>The checkpoint file (or name) the tensors came from.</summary>
    public string Source { get; }

    /// <summary>Where in the checkpoint the state dict was found ("" = the root).</summary>
    public string KeyPath { get; private set; } = "";

    /// <summary>True when a 'module.' prefix was removed.</summary>
    public bool ModulePrefixRemoved { get; private set; }

    /// <summary>Entries of the chosen dict that were not tensors.</summary>
    public IReadOnlyList<string> SkippedKeys { get; private set; } = Array.Empty<string>();

    /// <summary>Loads <paramref name="path"/> and extracts its state dict (see the class remarks); the rest of the
    /// checkpoint (optimizer state, ...) is released.</summary>
    public static StateDict Load(string path, string? keyPath = null, bool stripModulePrefix = true)
    {
        using var ckpt = TorchCheckpoint.Load(path);
        return FromCheckpoint(ckpt, keyPath, stripModulePrefix);
    }

    /// <summary>Extracts the state dict of a loaded checkpoint. The StateDict holds its own handles to the tensors,
    /// so it stays valid after the checkpoint is disposed.</summary>
    public static StateDict FromCheckpoint(TorchCheckpoint checkpoint, string? keyPath = null, bool stripModulePrefix = true)
        => FromObject(checkpoint.Root, checkpoint.Source, keyPath, stripModulePrefix);

    /// <summary>Extracts a state dict from an object tree as produced by <see cref="TorchCheckpoint.Root"/>.</summary>
    public static StateDict FromObject(object? root, string source, string? keyPath = null, bool stripModulePrefix = true)
    {
        OrderedDictionary<string, object?> dict;
        string foundPath;
        if (keyPath is not null)
        {
            if (!TorchCheckpoint.TryNavigate(root, keyPath, out var node))
                throw new KeyNotFoundException($"Checkpoint '{source}' has no entry '{keyPath}'.");
            dict = node as OrderedDictionary<string, object?>
                ?? throw new InvalidDataException(
                    $"Checkpoint '{source}': entry '{keyPath}' is {PickleConvert.Describe(node)}, not a dict of tensors.");
            foundPath = keyPath;
        }
        else
        {
            (dict, foundPath) = Find(root, source);
        }

        var sd = new StateDict(source) { KeyPath = foundPath };
        var skipped = new List<string>();
        bool strip = stripModulePrefix && dict.Keys.Any(k => k.StartsWith("module.", StringComparison.Ordinal));
        foreach (var (key, value) in dict)
        {
            if (value is not Tensor t)
            {
                skipped.Add(key);
                continue;
            }
            string name = strip && key.StartsWith("module.", StringComparison.Ordinal) ? key["module.".Length..] : key;
            if (sd._tensors.ContainsKey(name))
            {
                sd.Dispose();
                throw new InvalidDataException(
                    $"Checkpoint '{source}': key '{name}' appears twice after removing the 'module.' prefix.");
            }
            sd._tensors[name] = t.alias();
        }
        sd.ModulePrefixRemoved = strip;
        sd.SkippedKeys = skipped;
        return sd;
    }

    private static (OrderedDictionary<string, object?>, string) Find(object? root, string source)
    {
        if (root is OrderedDictionary<string, object?> d)
        {
            foreach (string w in WrapperKeys)
            {
                if (d.TryGetValue(w, out var inner) && inner is OrderedDictionary<string, object?> id && id.Values.Any(v => v is Tensor))
                    return (id, w);
            }
            if (d.Values.Any(v => v is Tensor)) return (d, "");
            string keys = string.Join(", ", d.Keys.Take(20).Select(k => $"'{k}'"));
            throw new InvalidDataException(
                $"Checkpoint '{source}' holds no state dict: no tensors at the top level and none under " +
                $"{string.Join(", ", WrapperKeys.Select(k => $"'{k}'"))}. Top-level keys: {keys}. Pass the key path explicitly.");
        }
        throw new InvalidDataException(
            $"Checkpoint '{source}' holds {PickleConvert.Describe(root)} at the top level, not a dict of tensors.");
    }

    // ---------------------------------------------------------------------------------------------- dictionary

    public int Count => _tensors.Count;
    public IEnumerable<string> Keys => _tensors.Keys;
    public IEnumerable<Tensor> Values => _tensors.Values;
    public Tensor this[string key] => _tensors.TryGetValue(key, out var t)
        ? t
        : throw new KeyNotFoundException($"State dict from '{Source}' has no tensor '{key}'.");
    public bool ContainsKey(string key) => _tensors.ContainsKey(key);
    public bool TryGetValue(string key, out Tensor value) => _tensors.TryGetValue(key, out value!);
    public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() => _tensors.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Adds (takes ownership of) a tensor.</summary>
    public void Add(string name, Tensor tensor) => _tensors.Add(name, tensor);

    /// <summary>Total number of elements over all tensors.</summary>
    public long NumElements => _tensors.Values.Sum(t => t.numel());

    // ---------------------------------------------------------------------------------------------- remapping

    /// <summary>Applies <paramref name="map"/> to every key (in place, order kept); dropped tensors are disposed.
    /// Two keys mapping to the same name throw, naming both.</summary>
    public StateDict Remap(KeyMap map)
    {
        var result = new List<(string, Tensor)>(_tensors.Count);
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var dropped = new List<Tensor>();
        foreach (var (key, t) in _tensors)
        {
            string? k = map.Apply(key);
            if (k is null)
            {
                dropped.Add(t);
                continue;
            }
            if (!seen.TryAdd(k, key))
                throw new InvalidOperationException(
                    $"State dict from '{Source}': keys '{seen[k]}' and '{key}' both map to '{k}'.");
            result.Add((k, t));
        }
        foreach (var t in dropped) t.Dispose();
        _tensors.Clear();
        foreach (var (k, t) in result) _tensors.Add(k, t);
        return this;
    }

    /// <summary>Replaces prefix <paramref name="from"/> by <paramref name="to"/> in every key that has it.</summary>
    public StateDict RenamePrefix(string from, string to) => Remap(new KeyMap().RenamePrefix(from, to));

    /// <summary>Drops (and disposes) every tensor whose key starts with <paramref name="prefix"/>.</summary>
    public StateDict DropPrefix(string prefix) => Remap(new KeyMap().DropPrefix(prefix));

    // ---------------------------------------------------------------------------------------------- loading

    /// <summary>Compares with <paramref name="module"/>.state_dict() (parameters and buffers) without copying.</summary>
    public LoadReport Compare(nn.Module module) => Compare(module.state_dict(), copy: false);

    /// <summary>
    /// Copies the tensors into <paramref name="module"/> (under no_grad, converting dtype and device as needed).
    /// Strict: any missing, unexpected or shape-mismatched key throws <see cref="CheckpointMismatchException"/>
    /// (naming the file and the keys) before anything is copied. Non-strict: every name present in both with the
    /// same shape is copied and the report says what was not.
    /// </summary>
    public LoadReport LoadInto(nn.Module module, bool strict = true)
    {
        var target = module.state_dict();
        var report = Compare(target, copy: false);
        if (strict && !report.IsExactMatch) throw new CheckpointMismatchException(report);
        return Compare(target, copy: true);
    }

    private LoadReport Compare(Dictionary<string, Tensor> target, bool copy)
    {
        var missing = new List<string>();
        var mismatched = new List<ShapeMismatch>();
        var loaded = new List<string>();
        using var noGrad = torch.no_grad();
        foreach (var (name, dst) in target)
        {
            if (!_tensors.TryGetValue(name, out var src))
            {
                missing.Add(name);
                continue;
            }
            if (!dst.shape.SequenceEqual(src.shape))
            {
                mismatched.Add(new ShapeMismatch(name, dst.shape, src.shape));
                continue;
            }
            if (copy) dst.copy_(src);
            loaded.Add(name);
        }
        var unexpected = _tensors.Keys.Where(k => !target.ContainsKey(k)).ToList();
        return new LoadReport(Source, missing, unexpected, mismatched, loaded);
    }

    public void Dispose()
    {
        foreach (var t in _tensors.Values) t.Dispose();
        _tensors.Clear();
    }
}
