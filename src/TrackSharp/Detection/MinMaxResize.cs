namespace TrackSharp.Detection;

/// <summary>
/// maskrcnn-benchmark's <c>Resize.get_size</c>: the short side becomes <c>minSize</c> unless the long side would then
/// exceed <c>maxSize</c>, in which case the short side becomes <c>round(maxSize * short / long)</c> (half to even, as
/// Python's <c>round</c>); the other side is then truncated <c>size * long / short</c>. The result can still exceed
/// <c>maxSize</c> by the truncation and rounding (e.g. 100x2000 gives 67x1340).
/// </summary>
public static class MinMaxResize
{
    /// <summary>Output size (height, width) for an image of <paramref name="width"/> x <paramref name="height"/>
    /// pixels. <paramref name="maxSize"/> &lt;= 0 means no maximum.</summary>
    public static (int Height, int Width) GetSize(int width, int height, int minSize, int maxSize)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"image size {width}x{height} must be positive");
        if (minSize <= 0) throw new ArgumentOutOfRangeException(nameof(minSize), $"min size {minSize} must be positive");
        int size = minSize;
        if (maxSize > 0)
        {
            double minOriginal = Math.Min(width, height);
            double maxOriginal = Math.Max(width, height);
            if (maxOriginal / minOriginal * size > maxSize)
                size = (int)Math.Round(maxSize * minOriginal / maxOriginal, MidpointRounding.ToEven);
        }
        if ((width <= height && width == size) || (height <= width && height == size))
            return (height, width);
        if (width < height)
            return ((int)((double)((long)size * height) / width), size);
        return (size, (int)((double)((long)size * width) / height));
    }
}
