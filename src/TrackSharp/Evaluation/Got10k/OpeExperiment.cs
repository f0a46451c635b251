namespace TrackSharp.Evaluation.Got10k;

/// <summary>Which GOT-10k toolkit experiment's <c>report</c> rules an OPE evaluation follows.</summary>
public enum OpeExperiment
{
    /// <summary><c>ExperimentOTB</c>: every frame up to the shorter length counts; NaN GT rows are failures.</summary>
    Otb,

    /// <summary><c>ExperimentUAV123</c>: as OTB, but frames whose GT row has a NaN are dropped from the denominator.</summary>
    Uav123,

    /// <summary><c>ExperimentLaSOT</c>: as UAV123, plus the normalised precision curve on <c>linspace(0, 0.5, 51)</c>.</summary>
    Lasot,
}
