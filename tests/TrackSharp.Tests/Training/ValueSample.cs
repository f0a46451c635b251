using TrackSharp.Data.Loading;
using static TorchSharp.torch;

namespace TrackSharp.Tests.Training;

/// <summary>A loader sample of one number under the key <c>value</c>, for tests of what consumes loader batches.</summary>
internal sealed class ValueSample(float value) : ITensorSample
{
    private readonly Tensor _value = tensor(new[] { value });

    public IEnumerable<KeyValuePair<string, Tensor>> NamedTensors => [new("value", _value)];

    public void Dispose() => _value.Dispose();
}
