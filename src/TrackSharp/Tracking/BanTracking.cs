using OpenCvSharp;
using TrackSharp.Geometry;

namespace TrackSharp.Tracking;

/// <summary>
/// The steps that NanoTrack and SiamBAN share around their different networks (reference
/// <c>nanotrack/tracker/nano_tracker.py</c>, <c>siamban/tracker/siamban_tracker.py</c>): the context crops of the
/// template and the search region, and the BAN post-processing (score, boxes, penalty, window, best cell, state
/// update). Kept in one place so that a parity fix reaches both trackers.
/// </summary>
public static class BanTracking
{
    /// <summary>
    /// Initialisation before the network: checks the frame and box, takes the reference's first state (centre
    /// <c>x + (w - 1) / 2</c>, size <c>(w, h)</c>) and the frame's channel mean (the padding of every crop), and crops
    /// the template (side rounded half-to-even, as the reference at initialisation) into <paramref name="templateCrop"/>,
    /// recording the window and side in <paramref name="step"/>.
    /// </summary>
    public static ((double X, double Y) Center, (double Width, double Height) Size, double[] ChannelMean) CropTemplate(
        Mat frame, BoxXywh box, BanTrackingParameters p, Mat templateCrop, BanTrackStep step)
    {
        TrackerValidation.RequireBgrFrame(frame);
        TrackerValidation.RequireBoxInside(box, frame);
        (double X, double Y) center = (box.X + (box.Width - 1) / 2, box.Y + (box.Height - 1) / 2);
        (double Width, double Height) size = (box.Width, box.Height);
        double[] channelMean = ContextCrop.ChannelMean(frame);

        long templateSide = (long)Math.Round(ContextCrop.ContextSide(size.Width, size.Height, p.ContextAmount),
            MidpointRounding.ToEven);
        step.TemplateWindow = ContextCrop.Extract(frame, center.X, center.Y, templateSide, p.ExemplarSize,
            channelMean, templateCrop);
        step.TemplateSide = templateSide;
        return (center, size, channelMean);
    }

    /// <summary>
    /// Crops the search region around <paramref name="center"/> into <paramref name="searchCrop"/>, records it in
    /// <paramref name="step"/> and returns <c>scale_z</c> (template crop pixels per image pixel).
    /// </summary>
    public static double CropSearch(Mat frame, (double X, double Y) center, (double Width, double Height) size,
        BanTrackingParameters p, double[] channelMean, Mat searchCrop, BanTrackStep step)
    {
        // Not rounded here, unlike at initialisation.
        double templateSide = ContextCrop.ContextSide(size.Width, size.Height, p.ContextAmount);
        double scaleZ = p.ExemplarSize / templateSide;
        double searchSide = templateSide * ((double)p.InstanceSize / p.ExemplarSize);
        long cropSide = (long)Math.Round(searchSide, MidpointRounding.ToEven);
        step.SearchWindow = ContextCrop.Extract(frame, center.X, center.Y, cropSide, p.InstanceSize,
            channelMean, searchCrop);
        step.ScaleZ = scaleZ;
        step.SearchSide = cropSide;
        return scaleZ;
    }

    /// <summary>
    /// From the network's <see cref="BanScoreMaps.Cls"/> and <see cref="BanScoreMaps.Loc"/>: scores, boxes, penalty,
    /// window blend, the best cell and the new state; records the choice in <paramref name="step"/>.
    /// </summary>
    /// <returns>The reported result and the state update (new centre and size for the caller to keep).</returns>
    public static (TrackResult Result, BanScoring.StateUpdate Update) ScoreAndUpdate(BanScoreMaps maps,
        BanTrackingParameters p, double scaleZ, (double X, double Y) center, (double Width, double Height) size,
        int frameWidth, int frameHeight, BanTrackStep step)
    {
        BanScoring.ConvertScore(maps.Cls, p.ClsOutChannels, maps.Score);
        BanScoring.ConvertBoxes(maps.Loc, maps.Points, maps.Boxes);
        BanScoring.Penalty(maps.Boxes, size.Width, size.Height, scaleZ, p.PenaltyK, maps.Penalty, maps.ScaleChange,
            maps.RatioChange);
        int best = BanScoring.BlendAndSelect(maps.Penalty, maps.Score, maps.Window, p.WindowInfluence, maps.PScore);

        var update = BanScoring.UpdateState(maps.Boxes, maps.Penalty, maps.Score, best, scaleZ, p.LearningRate,
            center.X, center.Y, size.Width, size.Height, frameWidth, frameHeight);

        step.BestIndex = best;
        step.BestScore = maps.Score[best];
        step.LearningRate = update.LearningRate;
        step.BoxOffset = (update.OffsetX, update.OffsetY, update.BoxWidth, update.BoxHeight);

        double score = maps.Score[best];
        return (new TrackResult(update.Box, score, !(score >= p.LostThreshold)), update);
    }
}
