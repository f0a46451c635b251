using System.Text.Json;
using OpenCvSharp;
using TrackSharp.Data.Datasets;
using TrackSharp.Data.Loading;
using TrackSharp.Geometry;

namespace TrackSharp.Data.Crop511;

/// <summary>Settings of <see cref="Crop511Writer"/>.</summary>
public sealed record Crop511Options
{
    /// <summary>Crop side (pysot's <c>instanc_size</c> argument of par_crop.py): 511.</summary>
    public int InstanceSize { get; init; } = Crop511Geometry.InstanceSize;

    /// <summary>Exemplar size the context is measured at: 127.</summary>
    public int ExemplarSize { get; init; } = Crop511Geometry.ExemplarSize;

    /// <summary>Context amount: 0.5.</summary>
    public double ContextAmount { get; init; } = 0.5;

    /// <summary>Sequences converted in parallel (par_crop.py's <c>num_threads</c>).</summary>
    public int Threads { get; init; } = 1;

    /// <summary>JPEG quality (cv2.imwrite's default, 95).</summary>
    public int JpegQuality { get; init; } = 95;
}

/// <summary>What <see cref="Crop511Writer.Convert"/> wrote.</summary>
/// <param name="Videos">Videos with at least one crop.</param>
/// <param name="Crops">Crops written.</param>
/// <param name="SkippedFrames">Frames left out because the target is absent or its box is empty.</param>
/// <param name="AnnotationPath">The JSON written.</param>
public sealed record Crop511Summary(int Videos, int Crops, int SkippedFrames, string AnnotationPath);

/// <summary>
/// Converts any dataset TrackSharp reads into pysot's crop511 layout (see <see cref="Crop511Layout"/>), as pysot's
/// <c>par_crop.py</c> scripts do for VID, GOT-10k or LaSOT: each sequence is a video with one track <c>00</c>; every
/// frame whose target is visible becomes <c>{frame:06d}.00.x.jpg</c> (<see cref="Crop511Geometry.CropSearch"/>, padded
/// with that frame's channel mean), frame numbers being 0-based frame indices, and its box
/// <c>[x, y, x + w, y + h]</c> goes into the JSON. Only the search crops (x) are written; pysot's trainers never read
/// the z crops. The output is the same whatever the thread count.
/// </summary>
public static class Crop511Writer
{
    /// <summary>Writes <c>&lt;outDir&gt;/crop511/&lt;sequence&gt;/</c> and <c>&lt;outDir&gt;/train.json</c>.</summary>
    /// <exception cref="FrameReadException">A frame cannot be read (names the sequence and frame).</exception>
    public static Crop511Summary Convert(ISequenceDataset dataset, string outDir, Crop511Options? options = null,
        Action<string>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentException.ThrowIfNullOrEmpty(outDir);
        options ??= new Crop511Options();
        if (options.Threads < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Threads, "threads must be at least 1");
        string cropRoot = Path.Combine(outDir, Crop511Layout.CropFolder);
        Directory.CreateDirectory(cropRoot);
        var sequences = dataset.Sequences;
        var results = new List<(int Frame, BoxXyxy Box)>?[sequences.Count];
        var skipped = new int[sequences.Count];
        int done = 0;
        Parallel.For(0, sequences.Count, new ParallelOptions { MaxDegreeOfParallelism = options.Threads, CancellationToken = cancellation }, s =>
        {
            var (list, skip) = ConvertSequence(sequences[s], cropRoot, options, cancellation);
            results[s] = list;
            skipped[s] = skip;
            int n = Interlocked.Increment(ref done);
            progress?.Invoke($"{n}/{sequences.Count} {sequences[s].Name}: {list.Count} crops");
        });

        string annotationPath = Path.Combine(outDir, Crop511Layout.AnnotationFile);
        using (var stream = File.Create(annotationPath))
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            json.WriteStartObject();
            for (int s = 0; s < sequences.Count; s++)
            {
                if (results[s] is not { Count: > 0 } frames) continue;
                json.WriteStartObject(sequences[s].Name);
                json.WriteStartObject(Crop511Layout.TrackKey(0));
                foreach (var (frame, box) in frames)
                {
                    json.WriteStartArray(Crop511Layout.FrameKey(frame));
                    json.WriteNumberValue(box.X1); json.WriteNumberValue(box.Y1);
                    json.WriteNumberValue(box.X2); json.WriteNumberValue(box.Y2);
                    json.WriteEndArray();
                }
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        return new Crop511Summary(results.Count(r => r is { Count: > 0 }), results.Sum(r => r?.Count ?? 0), skipped.Sum(), annotationPath);
    }

    private static (List<(int, BoxXyxy)> Frames, int Skipped) ConvertSequence(TrackingSequence sequence, string cropRoot,
        Crop511Options options, CancellationToken cancellation)
    {
        var frames = new List<(int, BoxXyxy)>();
        int skipped = 0;
        string folder = Path.Combine(cropRoot, sequence.Name);
        Directory.CreateDirectory(folder);
        var jpeg = new ImageEncodingParam(ImwriteFlags.JpegQuality, options.JpegQuality);
        for (int f = 0; f < sequence.Length; f++)
        {
            cancellation.ThrowIfCancellationRequested();
            var b = sequence.GroundTruth[f];
            if (!sequence.IsVisible(f) || !(b.Width > 0 && b.Height > 0)) { skipped++; continue; }
            var box = new BoxXyxy(b.X, b.Y, b.X + b.Width, b.Y + b.Height);
            Mat image;
            try
            {
                image = sequence.ReadFrame(f);
            }
            catch (Exception e) when (e is IOException or OpenCvSharpException)
            {
                throw new FrameReadException(sequence.Name, f, f < sequence.FramePaths.Count ? sequence.FramePaths[f] : null, e);
            }
            using (image)
            {
                var mean = Geometry.ContextCrop.ChannelMean(image);
                using var crop = Crop511Geometry.CropSearch(image, box, mean, options.ContextAmount, options.ExemplarSize, options.InstanceSize);
                string path = Path.Combine(folder, Crop511Layout.FileName(f, Crop511Layout.TrackKey(0)));
                if (!Cv2.ImWrite(path, crop, jpeg))
                    throw new IOException($"could not write '{path}'");
            }
            frames.Add((f, box));
        }
        return (frames, skipped);
    }
}
