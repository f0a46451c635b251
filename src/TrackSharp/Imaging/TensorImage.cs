using System.Buffers;
using System.Runtime.InteropServices;
using OpenCvSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace TrackSharp.Imaging;

/// <summary>
/// Converts between OpenCV images (CV_8UC3, BGR, HWC, uint8) and TorchSharp tensors. Images enter the library
/// as <see cref="Mat"/> and are converted once, here.
/// </summary>
/// <remarks>
/// Pixels are copied row by row with pointers into a pooled managed buffer and from there into the tensor in
/// one block copy: no per-pixel torch calls (each of which would cross into native code). Rows are addressed
/// through <see cref="Mat.Ptr(int)"/>, so submatrices (ROIs, whose rows are not adjacent in memory) work as
/// well as continuous images. Float-to-byte conversion clamps to 0..255 and rounds half to even, as OpenCV's
/// <c>saturate_cast</c> does.
/// </remarks>
public static class TensorImage
{
    /// <summary>
    /// Mat (CV_8UC3 BGR) to a float32 tensor of shape 1x3xHxW, converted as <paramref name="options"/> says
    /// (default <see cref="TensorImageOptions.Raw"/>: BGR, 0..255).
    /// </summary>
    /// <param name="image">A non-empty CV_8UC3 image; continuous or a submatrix.</param>
    /// <param name="options">Channel order and normalisation; null = <see cref="TensorImageOptions.Raw"/>.</param>
    /// <param name="device">Where the tensor is created; null = CPU.</param>
    public static unsafe Tensor ToTensor(Mat image, TensorImageOptions? options = null, Device? device = null)
    {
        RequireBgr8(image);
        options ??= TensorImageOptions.Raw;
        float[] table = options.BuildLookupTable();
        int h = image.Rows, w = image.Cols, plane = h * w;
        // Tensor channel c reads source channel source[c]: identity for BGR, reversed for RGB.
        int s0 = 0, s1 = 1, s2 = 2;
        if (options.ChannelOrder == ChannelOrder.Rgb) (s0, s2) = (2, 0);

        float[] buffer = ArrayPool<float>.Shared.Rent(3 * plane);
        try
        {
            fixed (float* dst = buffer)
            fixed (float* lut = table)
            {
                float* lut0 = lut, lut1 = lut + 256, lut2 = lut + 512;
                for (int y = 0; y < h; y++)
                {
                    byte* row = (byte*)image.Ptr(y);
                    float* c0 = dst + (long)y * w, c1 = c0 + plane, c2 = c1 + plane;
                    for (int x = 0; x < w; x++)
                    {
                        byte* px = row + 3 * x;
                        c0[x] = lut0[px[s0]];
                        c1[x] = lut1[px[s1]];
                        c2[x] = lut2[px[s2]];
                    }
                }
            }
            return FromBuffer<float>(buffer.AsSpan(0, 3 * plane), [1, 3, h, w], device);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// A 3-channel image tensor back to a CV_8UC3 BGR Mat, undoing <paramref name="options"/> (normalisation,
    /// scaling, channel order), then clamping to 0..255 and rounding half to even.
    /// </summary>
    /// <param name="tensor">Shape 1x3xHxW or 3xHxW, any floating dtype or uint8, on any device. A uint8 tensor is
    /// taken as pixel values: only <see cref="TensorImageOptions.ChannelOrder"/> applies to it.</param>
    /// <param name="options">The options the tensor was made with; null = <see cref="TensorImageOptions.Raw"/>.</param>
    public static unsafe Mat ToMat(Tensor tensor, TensorImageOptions? options = null)
    {
        options ??= TensorImageOptions.Raw;
        options.ValidateStatistics();
        long[] shape = tensor.shape;
        if (!(shape.Length == 3 && shape[0] == 3) && !(shape.Length == 4 && shape[0] == 1 && shape[1] == 3))
            throw new ArgumentException(
                $"expected an image tensor of shape 1x3xHxW or 3xHxW, got [{string.Join("x", shape)}]", nameof(tensor));
        int h = checked((int)shape[^2]), w = checked((int)shape[^1]), plane = h * w;
        // Mat channel m (B, G, R) is read from tensor channel source[m].
        int t0 = 0, t1 = 1, t2 = 2;
        if (options.ChannelOrder == ChannelOrder.Rgb) (t0, t2) = (2, 0);

        var mat = new Mat(h, w, MatType.CV_8UC3);
        if (tensor.dtype == ScalarType.Byte)
        {
            byte[] bytes = ArrayPool<byte>.Shared.Rent(3 * plane);
            try
            {
                CopyOut(tensor, ScalarType.Byte, bytes.AsSpan(0, 3 * plane));
                fixed (byte* src = bytes)
                {
                    byte* p0 = src + (long)t0 * plane, p1 = src + (long)t1 * plane, p2 = src + (long)t2 * plane;
                    for (int y = 0; y < h; y++)
                    {
                        byte* row = (byte*)mat.Ptr(y);
                        long o = (long)y * w;
                        for (int x = 0; x < w; x++)
                        {
                            row[3 * x] = p0[o + x];
                            row[3 * x + 1] = p1[o + x];
                            row[3 * x + 2] = p2[o + x];
                        }
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(bytes);
            }
            return mat;
        }

        if (!tensor.is_floating_point())
            throw new ArgumentException($"expected a floating-point or uint8 tensor, got {tensor.dtype}", nameof(tensor));
        float[] buffer = ArrayPool<float>.Shared.Rent(3 * plane);
        try
        {
            CopyOut(tensor, ScalarType.Float32, buffer.AsSpan(0, 3 * plane));
            // Per Mat channel: value * a + b brings the tensor value back to 0..255 (inverse of ToTensor).
            Span<float> a = stackalloc float[3], b = stackalloc float[3];
            int[] sourceChannel = [t0, t1, t2];
            for (int m = 0; m < 3; m++)
            {
                int c = sourceChannel[m];
                b[m] = options.ToPixelScale(0f, c);
                a[m] = options.ToPixelScale(1f, c) - b[m];
            }
            fixed (float* src = buffer)
            {
                float* p0 = src + (long)t0 * plane, p1 = src + (long)t1 * plane, p2 = src + (long)t2 * plane;
                float a0 = a[0], a1 = a[1], a2 = a[2], b0 = b[0], b1 = b[1], b2 = b[2];
                for (int y = 0; y < h; y++)
                {
                    byte* row = (byte*)mat.Ptr(y);
                    long o = (long)y * w;
                    for (int x = 0; x < w; x++)
                    {
                        row[3 * x] = SaturateToByte(p0[o + x] * a0 + b0);
                        row[3 * x + 1] = SaturateToByte(p1[o + x] * a1 + b1);
                        row[3 * x + 2] = SaturateToByte(p2[o + x] * a2 + b2);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
        return mat;
    }

    /// <summary>
    /// Mat (CV_8UC3) to a uint8 tensor of shape HxWx3 with the same bytes in the same order (BGR stays BGR).
    /// For code that crops and resizes in torch before converting to float, and for comparing with reference
    /// arrays saved as HxWx3 uint8.
    /// </summary>
    public static unsafe Tensor ToHwcTensor(Mat image, Device? device = null)
    {
        RequireBgr8(image);
        int h = image.Rows, w = image.Cols, rowBytes = 3 * w;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(h * rowBytes);
        try
        {
            for (int y = 0; y < h; y++)
                new ReadOnlySpan<byte>((void*)image.Ptr(y), rowBytes).CopyTo(buffer.AsSpan(y * rowBytes, rowBytes));
            return FromBuffer<byte>(buffer.AsSpan(0, h * rowBytes), [h, w, 3], device);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A uint8 tensor of shape HxWx3 (any device) to a CV_8UC3 Mat with the same bytes.</summary>
    public static unsafe Mat FromHwcTensor(Tensor tensor)
    {
        long[] shape = tensor.shape;
        if (shape.Length != 3 || shape[2] != 3)
            throw new ArgumentException($"expected a tensor of shape HxWx3, got [{string.Join("x", shape)}]", nameof(tensor));
        if (tensor.dtype != ScalarType.Byte)
            throw new ArgumentException($"expected a uint8 tensor, got {tensor.dtype}", nameof(tensor));
        int h = checked((int)shape[0]), w = checked((int)shape[1]), rowBytes = 3 * w;
        var mat = new Mat(h, w, MatType.CV_8UC3);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(h * rowBytes);
        try
        {
            CopyOut(tensor, ScalarType.Byte, buffer.AsSpan(0, h * rowBytes));
            for (int y = 0; y < h; y++)
                buffer.AsSpan(y * rowBytes, rowBytes).CopyTo(new Span<byte>((void*)mat.Ptr(y), rowBytes));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return mat;
    }

    private static void RequireBgr8(Mat image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Empty())
            throw new ArgumentException("the image is empty (was it read successfully?)", nameof(image));
        if (image.Type() != MatType.CV_8UC3)
            throw new ArgumentException($"expected a CV_8UC3 (BGR uint8) image, got {image.Type()}", nameof(image));
    }

    /// <summary>Round half to even and clamp, like OpenCV's saturate_cast&lt;uchar&gt;(float); NaN gives 0.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static byte SaturateToByte(float v)
    {
        // MathF.Round without a mode is round-half-to-even and compiles to one instruction; NaN fails v > 0.
        return v > 0f ? (byte)MathF.Min(MathF.Round(v), 255f) : (byte)0;
    }

    /// <summary>
    /// Creates a tensor of <paramref name="shape"/> holding a copy of <paramref name="data"/>. The copy goes
    /// through <see cref="Tensor.bytes"/> (one memcpy): <c>TensorAccessor.CopyFrom</c> copies element by element
    /// and was measured here 100x slower on a 854x480 frame.
    /// </summary>
    private static Tensor FromBuffer<T>(Span<T> data, long[] shape, Device? device) where T : unmanaged
    {
        ScalarType dtype = typeof(T) == typeof(float) ? ScalarType.Float32 : ScalarType.Byte;
        var cpu = torch.empty(shape, dtype: dtype);
        try
        {
            cpu.bytes = MemoryMarshal.AsBytes(data);
            if (device is null || device.type == DeviceType.CPU)
                return cpu;
            var moved = cpu.to(device);
            cpu.Dispose();
            return moved;
        }
        catch
        {
            cpu.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Copies the elements of <paramref name="tensor"/> (any device, dtype and layout) in row-major order into
    /// <paramref name="destination"/> as <paramref name="dtype"/>, disposing the temporaries it needs.
    /// </summary>
    private static void CopyOut<T>(Tensor tensor, ScalarType dtype, Span<T> destination) where T : unmanaged
    {
        using var scope = torch.NewDisposeScope();
        Tensor t = tensor.detach();
        if (t.device_type != DeviceType.CPU) t = t.cpu();
        if (t.dtype != dtype) t = t.to_type(dtype);
        t = t.contiguous();
        MemoryMarshal.Cast<byte, T>(t.bytes).CopyTo(destination);
    }
}
