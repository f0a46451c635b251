namespace TrackSharp.Trackers.TrDiMP;

/// <summary>Outcome of DiMP's advanced localisation (<c>localize_advanced</c>).</summary>
public enum LocalizationFlag
{
    /// <summary>One clear peak.</summary>
    Normal,
    /// <summary>Maximum below <c>target_not_found_threshold</c>: position kept, no update.</summary>
    NotFound,
    /// <summary>Two strong peaks that cannot be told apart: no classifier update.</summary>
    Uncertain,
    /// <summary>A distractor was seen: update the classifier at once with the hard-negative learning rate.</summary>
    HardNegative,
}
