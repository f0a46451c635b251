namespace TrackSharp.Detection.Data;

/// <summary>
/// maskrcnn-benchmark's aspect-ratio grouping (<c>DATALOADER.ASPECT_RATIO_GROUPING</c>): each image's
/// <c>height / width</c> is quantised with <c>bisect_right(sorted(bins), ratio)</c>; with the default bins <c>[1]</c>
/// landscape images (ratio &lt; 1) are group 0 and square or portrait ones group 1, so a batch never mixes them and
/// padding stays small.
/// </summary>
public static class AspectRatioGrouping
{
    public static IReadOnlyList<double> DefaultBins { get; } = [1.0];

    public static int[] GroupIds(IDetectionDataset dataset, IReadOnlyList<double>? bins = null)
    {
        var ratios = new double[dataset.Count];
        for (int i = 0; i < ratios.Length; i++)
        {
            var info = dataset.GetImageInfo(i);
            ratios[i] = (double)info.Height / info.Width;
        }
        return Quantize(ratios, bins ?? DefaultBins);
    }

    /// <summary><c>bisect_right(sorted(bins), x)</c> for each ratio.</summary>
    public static int[] Quantize(IReadOnlyList<double> ratios, IReadOnlyList<double> bins)
    {
        var sorted = bins.Order().ToArray();
        var groups = new int[ratios.Count];
        for (int i = 0; i < groups.Length; i++)
        {
            int g = 0;
            while (g < sorted.Length && sorted[g] <= ratios[i]) g++;
            groups[i] = g;
        }
        return groups;
    }
}
