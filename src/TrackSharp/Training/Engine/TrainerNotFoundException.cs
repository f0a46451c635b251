namespace TrackSharp.Training.Engine;

/// <summary>No registered trainer takes the given config (its family has none yet, or none accepts the file).</summary>
public sealed class TrainerNotFoundException(string message) : Exception(message);
