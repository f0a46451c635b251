namespace TrackSharp.Evaluation.Pytracking;

/// <summary>
/// The <c>dataset</c> string of a pytracking <c>Sequence</c>, which switches rules inside
/// <c>calc_seq_err_robust</c>. Only <see cref="Lasot"/> and <see cref="Uav"/> change behaviour; every other
/// benchmark (OTB, NFS, GOT-10k, TrackingNet...) follows the default rules.
/// </summary>
public enum PytrackingDataset
{
    Otb,
    Got10k,
    /// <summary>Result shorter than the GT raises; invisible frames get centre errors +Inf.</summary>
    Lasot,
    /// <summary>NaN GT rows are allowed; invalid frames get centre error -1 (a success).</summary>
    Uav,
}
