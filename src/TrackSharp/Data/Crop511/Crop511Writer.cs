using System.Text.Json;
using OpenCvSharp;
using TrackSharp.Data.Datasets;
using TrackSharp.Data.Loading;
using TrackSharp.Geometry;
using TrackSharp.Imaging;

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

/// <summary>What <c>Crop511Writer.Convert</c> wrote.</summary>
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
/// the z crops. The output is the same whatever the thread count. COCO and ImageNet-VID follow their own pysot scripts
/// (several tracks per video, pysot's video keys and filters): build them with <see cref="Crop511CocoPlan"/> or
/// <see cref="Crop511VidPlan"/> and write them with the plan overload of <c>Convert</c>.
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
                    WriteBox(json, Crop511Layout.FrameKey(frame), box);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        return new Crop511Summary(results.Count(r => r is { Count: > 0 }), results.Sum(r => r?.Count ?? 0), skipped.Sum(), annotationPath);
    }

    /// <summary>
    /// Writes the videos of a pysot-style plan (<see cref="Crop511CocoPlan"/>, <see cref="Crop511VidPlan"/>):
    /// <c>&lt;outDir&gt;/crop511/&lt;video key&gt;/{frame:06d}.{track:02d}.x.jpg</c> for every object of every image
    /// (each image padded with its own channel mean), and <c>&lt;outDir&gt;/train.json</c> holding every video's
    /// <see cref="Crop511Video.Annotation"/>, keys sorted ordinally at every level as <c>json.dump(..., sort_keys=True)</c>
    /// does. Images without objects are not read. The output is the same whatever the thread count.
    /// </summary>
    /// <exception cref="FrameReadException">An image cannot be read (names the video key and the file).</exception>
    public static Crop511Summary Convert(IReadOnlyList<Crop511Video> videos, string outDir, Crop511Options? options = null,
        Action<string>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(videos);
        ArgumentException.ThrowIfNullOrEmpty(outDir);
        options ??= new Crop511Options();
        if (options.Threads < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Threads, "threads must be at least 1");
        string cropRoot = Path.Combine(outDir, Crop511Layout.CropFolder);
        Directory.CreateDirectory(cropRoot);
        var crops = new int[videos.Count];
        int done = 0;
        Parallel.For(0, videos.Count, new ParallelOptions { MaxDegreeOfParallelism = options.Threads, CancellationToken = cancellation }, v =>
        {
            var video = videos[v];
            string folder = Path.Combine(cropRoot, video.Key.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(folder);
            for (int i = 0; i < video.Images.Count; i++)
            {
                var image = video.Images[i];
                if (image.Objects.Count == 0) continue;
                cancellation.ThrowIfCancellationRequested();
                using (var frame = SampleFrameReading.ReadSampleImage(video.Key, i, image.Path))
                {
                    var mean = Geometry.ContextCrop.ChannelMean(frame);
                    foreach (var o in image.Objects)
                        WriteCrop(frame, o.Box, mean, Path.Combine(folder, Crop511Layout.FileName(image.Frame, Crop511Layout.TrackKey(o.Track))), options);
                    crops[v] += image.Objects.Count;
                }
            }
            int n = Interlocked.Increment(ref done);
            progress?.Invoke($"{n}/{videos.Count} {video.Key}: {crops[v]} crops");
        });

        string annotationPath = Path.Combine(outDir, Crop511Layout.AnnotationFile);
        using (var stream = File.Create(annotationPath))
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            json.WriteStartObject();
            foreach (var video in videos.Where(v => v.Annotation is not null).OrderBy(v => v.Key, StringComparer.Ordinal))
            {
                json.WriteStartObject(video.Key);
                foreach (var (track, frames) in video.Annotation!.OrderBy(t => t.Key, StringComparer.Ordinal))
                {
                    json.WriteStartObject(track);
                    foreach (var (frame, box) in frames.OrderBy(f => f.Key, StringComparer.Ordinal))
                        WriteBox(json, frame, box);
                    json.WriteEndObject();
                }
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        return new Crop511Summary(crops.Count(c => c > 0), crops.Sum(), 0, annotationPath);
    }

    private static void WriteBox(Utf8JsonWriter json, string frameKey, BoxXyxy box)
    {
        json.WriteStartArray(frameKey);
        json.WriteNumberValue(box.X1); json.WriteNumberValue(box.Y1);
        json.WriteNumberValue(box.X2); json.WriteNumberValue(box.Y2);
        json.WriteEndArray();
    }

    private static void WriteCrop(Mat image, BoxXyxy box, double[] mean, string path, Crop511Options options)
    {
        using var crop = Crop511Geometry.CropSearch(image, box, mean, options.ContextAmount, options.ExemplarSize, options.InstanceSize);
        if (!Cv2.ImWrite(path, crop, new ImageEncodingParam(ImwriteFlags.JpegQuality, options.JpegQuality)))
            throw new IOException($"could not write '{path}'");
    }

    private static (List<(int, BoxXyxy)> Frames, int Skipped) ConvertSequence(TrackingSequence sequence, string cropRoot,
        Crop511Options options, CancellationToken cancellation)
    {
        var frames = new List<(int, BoxXyxy)>();
        int skipped = 0;
        string folder = Path.Combine(cropRoot, sequence.Name);
        Directory.CreateDirectory(folder);
        for (int f = 0; f < sequence.Length; f++)
        {
            cancellation.ThrowIfCancellationRequested();
            var b = sequence.GroundTruth[f];
            if (!sequence.IsVisible(f) || !(b.Width > 0 && b.Height > 0)) { skipped++; continue; }
            var box = new BoxXyxy(b.X, b.Y, b.X + b.Width, b.Y + b.Height);
            using (var image = sequence.ReadSampleFrame(f))
            {
                var mean = Geometry.ContextCrop.ChannelMean(image);
                WriteCrop(image, box, mean, Path.Combine(folder, Crop511Layout.FileName(f, Crop511Layout.TrackKey(0))), options);
            }
            frames.Add((f, box));
        }
        return (frames, skipped);
    }
}
