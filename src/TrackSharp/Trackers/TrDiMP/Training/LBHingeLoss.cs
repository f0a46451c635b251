using static TorchSharp.torch;

namespace TrackSharp.Trackers.TrDiMP.Training;

/// <summary>
/// DiMP's hinge-like classification loss (ltr <c>LBHinge</c> with the default MSE error): where the label is below
/// <see cref="Threshold"/> (background) only positive scores are penalised (<c>relu(score)</c> against 0), elsewhere
/// the score regresses to the label. Mean over all elements. TrDiMP trains with threshold 0.05.
/// </summary>
public sealed class LBHingeLoss(double threshold = 0.05)
{
    /// <summary>Label value under which a score only counts when positive.</summary>
    public double Threshold { get; } = threshold;

    /// <summary>Loss (scalar) of <paramref name="scores"/> against <paramref name="label"/> (same shape).</summary>
    public Tensor Compute(Tensor scores, Tensor label)
    {
        if (!scores.shape.SequenceEqual(label.shape))
            throw new ArgumentException($"LBHinge: scores [{string.Join(", ", scores.shape)}] and label [{string.Join(", ", label.shape)}] differ in shape");
        using var scope = NewDisposeScope();
        var negative = (label < Threshold).to(scores.dtype);
        var positive = 1.0 - negative;
        var prediction = negative * nn.functional.relu(scores) + positive * scores;
        var diff = prediction - positive * label;
        return (diff * diff).mean().MoveToOuterDisposeScope();
    }
}
