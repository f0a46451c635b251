namespace TrackSharp.Trackers.OSTrack;

/// <summary>
/// OSTrack's candidate-elimination keep-rate schedule (<c>lib/models/ostrack/utils.py: adjust_keep_rate</c>, called by the
/// actor with warmup = <c>CE_START_EPOCH</c>, total = <c>CE_START_EPOCH + CE_WARM_EPOCH</c>, one iteration per epoch and
/// base = <c>CE_KEEP_RATIO[0]</c>): 1 before the start epoch, then a cosine ramp down to the base rate, which it keeps.
/// The rate is passed to every CE block of the training forward (it overrides their own ratios).
/// </summary>
public static class KeepRateSchedule
{
    /// <summary>The keep rate of (1-based trainer) epoch <paramref name="epoch"/>.</summary>
    public static double Adjust(int epoch, int warmupEpochs, int totalEpochs, int itersPerEpoch, double baseKeepRate,
        double maxKeepRate = 1.0, int iters = -1)
    {
        if (epoch < warmupEpochs) return 1.0;
        if (epoch >= totalEpochs) return baseKeepRate;
        if (iters == -1) iters = epoch * itersPerEpoch;
        int totalIters = itersPerEpoch * (totalEpochs - warmupEpochs);
        iters -= itersPerEpoch * warmupEpochs;
        return baseKeepRate + (maxKeepRate - baseKeepRate) * (Math.Cos((double)iters / totalIters * Math.PI) + 1) * 0.5;
    }

    /// <summary>The schedule of a config's CE settings: start = CE_START_EPOCH, warm-up length = CE_WARM_EPOCH.</summary>
    public static double ForEpoch(int epoch, int ceStartEpoch, int ceWarmEpoch, double baseKeepRate) =>
        Adjust(epoch, ceStartEpoch, ceStartEpoch + ceWarmEpoch, 1, baseKeepRate);
}
