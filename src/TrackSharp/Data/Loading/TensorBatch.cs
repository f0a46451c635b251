using TorchSharp;
using static TorchSharp.torch;

namespace TrackSharp.Data.Loading;

/// <summary>
/// A batch: each named tensor of the samples stacked along a new first dimension (shape [B, ...]), in sample-index
/// order. Owns its tensors (they belong to no dispose scope); dispose the batch, or move the tensors you keep into
/// your own scope.
/// </summary>
public sealed class TensorBatch : IDisposable
{
    private readonly Dictionary<string, Tensor> _tensors;

    private TensorBatch(int epoch, int index, IReadOnlyList<int> sampleIndices, Dictionary<string, Tensor> tensors)
    {
        Epoch = epoch;
        Index = index;
        SampleIndices = sampleIndices;
        _tensors = tensors;
    }

    public int Epoch { get; }

    /// <summary>Batch number within the epoch (0-based).</summary>
    public int Index { get; }

    /// <summary>The epoch's sample indices of the rows, in order.</summary>
    public IReadOnlyList<int> SampleIndices { get; }

    public int Count => SampleIndices.Count;

    public IReadOnlyCollection<string> Names => _tensors.Keys;

    public Tensor this[string name] => _tensors.TryGetValue(name, out var t) ? t
        : throw new KeyNotFoundException($"batch has no tensor '{name}' (has: {string.Join(", ", _tensors.Keys)})");

    /// <summary>Stacks the samples' tensors by name. The samples are not disposed.</summary>
    /// <exception cref="ArgumentException">Samples disagree on names or shapes (the message names the tensor).</exception>
    public static TensorBatch Collate(IReadOnlyList<ITensorSample> samples, int epoch = 0, int index = 0,
        IReadOnlyList<int>? sampleIndices = null)
    {
        if (samples.Count == 0) throw new ArgumentException("cannot collate an empty list of samples", nameof(samples));
        var columns = new Dictionary<string, List<Tensor>>();
        var order = new List<string>();
        for (int s = 0; s < samples.Count; s++)
        {
            var names = new HashSet<string>();
            foreach (var (name, tensor) in samples[s].NamedTensors)
            {
                names.Add(name);
                if (!columns.TryGetValue(name, out var list))
                {
                    if (s > 0) throw new ArgumentException($"sample {s} has tensor '{name}' that sample 0 lacks");
                    columns[name] = list = [];
                    order.Add(name);
                }
                list.Add(tensor);
            }
            if (names.Count != order.Count)
                throw new ArgumentException($"sample {s} lacks tensors {string.Join(", ", order.Except(names))}");
        }

        var result = new Dictionary<string, Tensor>();
        try
        {
            foreach (string name in order)
            {
                var list = columns[name];
                for (int s = 1; s < list.Count; s++)
                    if (!list[s].shape.SequenceEqual(list[0].shape) || list[s].dtype != list[0].dtype)
                        throw new ArgumentException(
                            $"tensor '{name}': sample {s} has {list[s].dtype} [{string.Join(", ", list[s].shape)}], " +
                            $"sample 0 has {list[0].dtype} [{string.Join(", ", list[0].shape)}]");
                result[name] = torch.stack(list, 0).DetachFromDisposeScope();
            }
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        return new TensorBatch(epoch, index, sampleIndices ?? Enumerable.Range(0, samples.Count).ToArray(), result);
    }

    public void Dispose()
    {
        foreach (var t in _tensors.Values) t.Dispose();
        _tensors.Clear();
    }
}
