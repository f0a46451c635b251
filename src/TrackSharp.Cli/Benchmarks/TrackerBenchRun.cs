using TrackSharp.Geometry;

namespace TrackSharp.Cli.Benchmarks;

/// <summary>What one single-tracker bench measured, as <see cref="TrackerBenchReport"/> needs it to compute the
/// shared figures.</summary>
/// <param name="Video">The --video path, or the shipped sample.</param>
/// <param name="Box">The first-frame box.</param>
/// <param name="Frames">The decoded frames (the report keeps only their count).</param>
/// <param name="TimedFrames">Timed Track() calls per thread count.</param>
/// <param name="Warmup">Untimed Track() calls before them.</param>
/// <param name="Quick">Whether --quick was given.</param>
/// <param name="Results">One timing per thread count.</param>
public sealed record TrackerBenchRun(string Video, BoxXywh Box, DecodedFrames Frames, int TimedFrames, int Warmup, bool Quick,
    IReadOnlyList<TrackerBenchResult> Results);
