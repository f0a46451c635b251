using static TorchSharp.torch;

namespace TrackSharp.Training.Engine;

/// <summary>
/// What a forward pass gives the loop: the named losses (scalar tensors; their sum is back-propagated, as in
/// every reference trainer) and, per loss, named side values for the logs (e.g. <c>reg → iou</c>).
/// </summary>
public sealed record StepOutput(
    IReadOnlyList<KeyValuePair<string, Tensor>> Losses,
    IReadOnlyList<KeyValuePair<string, IReadOnlyList<KeyValuePair<string, double>>>> Extras)
{
    public StepOutput(IReadOnlyList<KeyValuePair<string, Tensor>> losses) : this(losses, []) { }
}
