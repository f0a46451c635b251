namespace TrackSharp.Trackers.TrDiMP;

/// <summary>Translation (y, x) in image pixels from the sample centre, the chosen scale and the flag.</summary>
public readonly record struct LocalizationResult(float TranslationY, float TranslationX, int ScaleIndex, LocalizationFlag Flag, float MaxScore);
