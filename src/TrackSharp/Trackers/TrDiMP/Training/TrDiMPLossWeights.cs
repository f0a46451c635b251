namespace TrackSharp.Trackers.TrDiMP.Training;

/// <summary>
/// Loss weights of ltr's <c>KLDiMPActor</c> as <c>transformer_dimp.py</c> sets them. <see cref="TestIterClf"/> is
/// shared evenly by the intermediate filter iterates (ltr: <c>weight / (iterates − 2) · Σ</c>).
/// </summary>
/// <param name="BbCe">KL box-regression loss.</param>
/// <param name="TestClf">LBHinge loss of the final filter on the test frames.</param>
/// <param name="TestInitClf">LBHinge loss of the initial filter.</param>
/// <param name="TestIterClf">Total weight of the intermediate iterates' LBHinge losses.</param>
public sealed record TrDiMPLossWeights(double BbCe = 0.01, double TestClf = 100, double TestInitClf = 100, double TestIterClf = 400)
{
    /// <summary>The weights of <c>ltr/train_settings/dimp/transformer_dimp.py</c>.</summary>
    public static TrDiMPLossWeights Default { get; } = new();
}
