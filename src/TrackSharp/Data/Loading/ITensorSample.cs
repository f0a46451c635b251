using static TorchSharp.torch;

namespace TrackSharp.Data.Loading;

/// <summary>
/// One training sample: named tensors of fixed shapes (no batch dimension) that <see cref="TensorBatch.Collate"/>
/// stacks into a batch. The sample owns its tensors.
/// </summary>
public interface ITensorSample : IDisposable
{
    /// <summary>The tensors by name, in a fixed order; every sample of a loader gives the same names and shapes.</summary>
    IEnumerable<KeyValuePair<string, Tensor>> NamedTensors { get; }
}

/// <summary>
/// A frame of a sequence could not be read or decoded while building a sample. The loader logs
/// <see cref="Sequence"/> and <see cref="Frame"/> and replaces the sample by a redraw.
/// </summary>
public sealed class FrameReadException(string sequence, int frame, string? path, Exception inner)
    : IOException($"sequence '{sequence}', frame {frame}{(path is null ? "" : $" ('{path}')")}: {inner.Message}", inner)
{
    public string Sequence { get; } = sequence;

    /// <summary>0-based frame index in the sequence.</summary>
    public int Frame { get; } = frame;

    public string? Path { get; } = path;
}
