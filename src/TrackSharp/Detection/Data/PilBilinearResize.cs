using OpenCvSharp;

namespace TrackSharp.Detection.Data;

/// <summary>
/// Pillow's <c>Image.resize(size, BILINEAR)</c> on 8-bit 3-channel images, bit for bit: the antialiased two-pass
/// resampling of <c>libImaging/Resample.c</c> (horizontal pass first into an 8-bit intermediate, then vertical), a
/// triangle filter whose support widens with the downscale factor, coefficients normalised per output pixel and
/// rounded to 22-bit fixed point, accumulation from one half, and clipping to 0..255. This is what torchvision's
/// <c>F.resize</c> does to the PIL images maskrcnn-benchmark's transforms receive; OpenCV's bilinear resize
/// does not antialias and differs by several grey levels when shrinking.
/// </summary>
public static class PilBilinearResize
{
    private const int PrecisionBits = 32 - 8 - 2;

    /// <summary>Resizes a CV_8UC3 image (any channel order; channels are independent) to <paramref name="width"/> x <paramref name="height"/>.</summary>
    public static unsafe Mat Resize(Mat image, int width, int height)
    {
        if (image.Type() != MatType.CV_8UC3) throw new ArgumentException($"expected a CV_8UC3 image, got {image.Type()}");
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"output size {width}x{height} must be positive");
        int inW = image.Cols, inH = image.Rows;
        var (ksH, boundsH, kkH) = Coefficients(inW, width);
        var (ksV, boundsV, kkV) = Coefficients(inH, height);
        bool needHorizontal = width != inW, needVertical = height != inH;

        // Source rows the vertical pass will read.
        int yFirst = boundsV[0];
        int yLast = boundsV[2 * height - 2] + boundsV[2 * height - 1];

        byte[] src = new byte[inH * inW * 3];
        for (int y = 0; y < inH; y++)
            new ReadOnlySpan<byte>((void*)image.Ptr(y), inW * 3).CopyTo(src.AsSpan(y * inW * 3, inW * 3));
        int curW = inW, curH = inH;
        byte[] cur = src;

        if (needHorizontal)
        {
            for (int i = 0; i < height; i++) boundsV[2 * i] -= yFirst;
            int rows = yLast - yFirst;
            var tmp = new byte[rows * width * 3];
            for (int yy = 0; yy < rows; yy++)
            {
                int rowIn = (yy + yFirst) * curW * 3;
                int rowOut = yy * width * 3;
                for (int xx = 0; xx < width; xx++)
                {
                    int xmin = boundsH[2 * xx], xcount = boundsH[2 * xx + 1];
                    int k0 = xx * ksH;
                    int s0 = 1 << (PrecisionBits - 1), s1 = s0, s2 = s0;
                    for (int x = 0; x < xcount; x++)
                    {
                        int p = rowIn + (x + xmin) * 3;
                        int k = kkH[k0 + x];
                        s0 += cur[p] * k; s1 += cur[p + 1] * k; s2 += cur[p + 2] * k;
                    }
                    tmp[rowOut + xx * 3] = Clip8(s0);
                    tmp[rowOut + xx * 3 + 1] = Clip8(s1);
                    tmp[rowOut + xx * 3 + 2] = Clip8(s2);
                }
            }
            cur = tmp;
            curW = width;
            curH = rows;
        }
        if (needVertical)
        {
            var outBuf = new byte[height * width * 3];
            for (int yy = 0; yy < height; yy++)
            {
                int ymin = boundsV[2 * yy], ycount = boundsV[2 * yy + 1];
                int k0 = yy * ksV;
                for (int xx = 0; xx < width; xx++)
                {
                    int s0 = 1 << (PrecisionBits - 1), s1 = s0, s2 = s0;
                    for (int y = 0; y < ycount; y++)
                    {
                        int p = ((y + ymin) * curW + xx) * 3;
                        int k = kkV[k0 + y];
                        s0 += cur[p] * k; s1 += cur[p + 1] * k; s2 += cur[p + 2] * k;
                    }
                    int o = (yy * width + xx) * 3;
                    outBuf[o] = Clip8(s0); outBuf[o + 1] = Clip8(s1); outBuf[o + 2] = Clip8(s2);
                }
            }
            cur = outBuf;
            curH = height;
        }
        else if (!needHorizontal)
        {
            return image.Clone();
        }
        var result = new Mat(curH, curW, MatType.CV_8UC3);
        for (int y = 0; y < curH; y++)
            cur.AsSpan(y * curW * 3, curW * 3).CopyTo(new Span<byte>((void*)result.Ptr(y), curW * 3));
        return result;
    }

    private static byte Clip8(int v)
    {
        if (v >= (1 << PrecisionBits << 8)) return 255;
        if (v <= 0) return 0;
        return (byte)(v >> PrecisionBits);
    }

    /// <summary><c>precompute_coeffs</c> + <c>normalize_coeffs_8bpc</c> for the bilinear (triangle) filter over the
    /// whole input (box 0..inSize): per output pixel, the first input index and count, and fixed-point weights.</summary>
    private static (int KernelSize, int[] Bounds, int[] Weights) Coefficients(int inSize, int outSize)
    {
        const double filterSupport = 1.0;
        double scale = (double)inSize / outSize;
        double filterScale = scale < 1.0 ? 1.0 : scale;
        double support = filterSupport * filterScale;
        int ksize = (int)Math.Ceiling(support) * 2 + 1;
        var bounds = new int[outSize * 2];
        var weights = new int[outSize * ksize];
        var k = new double[ksize];
        for (int xx = 0; xx < outSize; xx++)
        {
            double center = (xx + 0.5) * scale;
            double ww = 0.0;
            double ss = 1.0 / filterScale;
            int xmin = (int)(center - support + 0.5);
            if (xmin < 0) xmin = 0;
            int xmax = (int)(center + support + 0.5);
            if (xmax > inSize) xmax = inSize;
            xmax -= xmin;
            Array.Clear(k);
            for (int x = 0; x < xmax; x++)
            {
                double w = Triangle((x + xmin - center + 0.5) * ss);
                k[x] = w;
                ww += w;
            }
            for (int x = 0; x < xmax; x++)
                if (ww != 0.0) k[x] /= ww;
            for (int x = 0; x < ksize; x++)
                weights[xx * ksize + x] = k[x] < 0
                    ? (int)(-0.5 + k[x] * (1 << PrecisionBits))
                    : (int)(0.5 + k[x] * (1 << PrecisionBits));
            bounds[2 * xx] = xmin;
            bounds[2 * xx + 1] = xmax;
        }
        return (ksize, bounds, weights);
    }

    private static double Triangle(double x)
    {
        if (x < 0.0) x = -x;
        return x < 1.0 ? 1.0 - x : 0.0;
    }
}
