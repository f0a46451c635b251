using System.Globalization;
using System.Runtime.InteropServices;
using OpenCvSharp;
using TrackSharp.Geometry;

namespace TrackSharp.Data.Synthetic;

/// <summary>Shapes of synthetic objects.</summary>
public enum ObjectShape
{
    /// <summary>Fills its box.</summary>
    Rectangle,

    /// <summary>The ellipse inscribed in its box.</summary>
    Ellipse,
}

/// <summary>
/// The truth about one synthetic frame, as written to the GOT-10k files. Boxes are pixel <c>x,y,w,h</c> with integer
/// values: the object's pixels are columns <c>x .. x+w-1</c> and rows <c>y .. y+h-1</c> (the tight box of its drawn
/// shape), so in <see cref="BoxXywh"/>'s convention the box covers exactly those pixels.
/// </summary>
/// <param name="Box">The <c>groundtruth.txt</c> row. A target that can be seen: <see cref="ObjectBox"/> clipped to the
///   image (GOT-10k boxes lie in the image). An absent target (no pixel visible: out of view or fully occluded): the
///   unclipped <see cref="ObjectBox"/>, so the row stays finite and the motion stays readable; the absence flag and cover 0
///   say it is absent. NaN is never written (pytracking reads GOT-10k boxes with pandas <c>na_filter=False</c>).</param>
/// <param name="ObjectBox">The whole object's tight box, which may leave the image.</param>
/// <param name="Absent">No pixel of the object is visible (<c>absence.label</c> 1): out of view or fully occluded.</param>
/// <param name="Cover">Visible fraction in GOT-10k's nine levels (<c>cover.label</c>): 0 nothing visible, 8 every pixel
///   visible, else <c>ceil(8 f)</c> clamped to 1..7 for a visible fraction <c>0 &lt; f &lt; 1</c> (occluded or cut by the
///   image border).</param>
/// <param name="VisibleFraction">Visible object pixels (inside the image, not under an occluder) over all object pixels.</param>
/// <param name="OutOfView">No part of the object's box is inside the image.</param>
/// <param name="Truncated">Part of the object's box is outside the image.</param>
/// <param name="Occluders">Occluder patches drawn over the target in this frame (they may miss it at the ends of a sweep).</param>
public sealed record SyntheticFrameTruth(BoxXywh Box, BoxXywh ObjectBox, bool Absent, int Cover, double VisibleFraction,
    bool OutOfView, bool Truncated, IReadOnlyList<BoxXywh> Occluders);

/// <summary>
/// One synthetic tracking sequence, planned when created (motion, sizes, events, labels) and rendered frame by frame
/// with <see cref="RenderFrame"/>. A textured target (shape, texture family and colours drawn at random) moves with
/// smooth noisy velocity, changing scale and aspect over a textured background that may pan slowly; similar-looking
/// distractors move behind it; occluder patches sweep over it (partly, or hiding it completely for a few frames); it may
/// leave the image across the nearest edge and come back. Frame 0 always shows the whole target. Everything comes from
/// <see cref="Random"/> instances seeded from (seed, sequence index): the same options give the same pixels.
/// Dispose it to free the textures.
/// </summary>
public sealed class SyntheticSequence : IDisposable
{
    private readonly int _w, _h;
    private readonly Mat _background;
    private readonly (int X, int Y)[] _pan;
    private readonly Sprite _target;
    private readonly List<Sprite> _distractors = [];
    private readonly List<Occluder> _occluders = [];
    private readonly SyntheticFrameTruth[] _truth;
    private readonly List<KeyValuePair<string, string>> _attributes = [];

    private sealed record Sprite(Mat Texture, ObjectShape Shape, Rect[] Places) : IDisposable
    {
        public void Dispose() => Texture.Dispose();
    }

    private sealed record Occluder(Mat Texture, int Start, Rect[] Places, bool Full) : IDisposable
    {
        public void Dispose() => Texture.Dispose();
    }

    private enum EventKind { PartialOcclusion, FullOcclusion, OutOfView }

    /// <summary>Plans sequence <paramref name="index"/> (0-based) of <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">Invalid options (the message names the value).</exception>
    public SyntheticSequence(SyntheticOptions options, int index)
    {
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        Options = options;
        Index = index;
        Name = NameFor(index);
        _w = options.Width;
        _h = options.Height;
        int n = options.Frames;
        var d = options.Difficulty;
        double side = Math.Min(_w, _h);

        // Independent streams: changing one knob does not reshuffle what the others draw.
        var looks = new Random(SeedFor(options.Seed, index, 1));
        var motion = new Random(SeedFor(options.Seed, index, 2));
        var events = new Random(SeedFor(options.Seed, index, 3));
        var extras = new Random(SeedFor(options.Seed, index, 4));

        // ---- appearance ----
        var textured = new[] { TextureFamily.Noise, TextureFamily.Stripes, TextureFamily.Checker, TextureFamily.Blobs };
        var bgFamily = d.TexturedBackground ? textured[looks.Next(textured.Length)] : TextureFamily.Plain;
        var (bgA, bgB) = ColourPair(looks, 60);
        if (!d.TexturedBackground) bgB = bgA;
        var family = textured[looks.Next(textured.Length)];
        var shape = looks.Next(2) == 0 ? ObjectShape.Ellipse : ObjectShape.Rectangle;
        var (objA, objB) = DistinctPair(looks, bgA, bgB);
        TargetFamily = family;
        TargetShape = shape;
        BackgroundFamily = bgFamily;
        TargetColors = (objA, objB);
        BackgroundColors = (bgA, bgB);

        // ---- camera pan ----
        double panAngle = looks.NextDouble() * 2 * Math.PI;
        double pvx = d.CameraPan * Math.Cos(panAngle), pvy = d.CameraPan * Math.Sin(panAngle);
        int mx = (int)Math.Min(Math.Ceiling(Math.Abs(pvx) * (n - 1)), 2 * _w);
        int my = (int)Math.Min(Math.Ceiling(Math.Abs(pvy) * (n - 1)), 2 * _h);
        _background = ProceduralTexture.Render(bgFamily, _w + mx, _h + my, bgA, bgB, looks);
        _pan = new (int, int)[n];
        for (int t = 0; t < n; t++)
            _pan[t] = (PingPong((pvx >= 0 ? 0 : mx) + pvx * t, mx), PingPong((pvy >= 0 ? 0 : my) + pvy * t, my));

        // ---- events ----
        var kinds = new List<EventKind>();
        for (int i = 0; i < d.OcclusionEvents; i++)
            kinds.Add(events.NextDouble() < d.FullOcclusionShare ? EventKind.FullOcclusion : EventKind.PartialOcclusion);
        if (events.NextDouble() < d.OutOfViewProbability) kinds.Add(EventKind.OutOfView);
        for (int i = kinds.Count - 1; i > 0; i--)
        {
            int j = events.Next(i + 1);
            (kinds[i], kinds[j]) = (kinds[j], kinds[i]);
        }
        var planned = new List<(EventKind Kind, int Start, int Length)>();
        int first = Math.Max(2, n / 10);
        int segment = kinds.Count > 0 ? (n - first) / kinds.Count : 0;
        if (segment >= 6)
            for (int k = 0; k < kinds.Count; k++)
            {
                int length = Math.Min(segment, Math.Clamp(n / 4, 6, 40));
                planned.Add((kinds[k], first + k * segment + events.Next(segment - length + 1), length));
            }

        // ---- target: sizes, then motion ----
        double speed = d.Speed * side;
        var sizes = Sizes(motion, d, n, side);
        var oov = planned.Where(e => e.Kind == EventKind.OutOfView).Select(e => ((int, int)?)(e.Start, e.Length)).FirstOrDefault();
        var places = Trajectory(motion, sizes, speed, d.MotionNoise, oov);
        _target = new Sprite(ObjectTexture(family, sizes, objA, objB, looks), shape, places);

        // ---- distractors: the target's shape and family, nearby colours, their own motion, drawn behind it ----
        int distractors = extras.Next(d.MaxDistractors + 1);
        for (int i = 0; i < distractors; i++)
        {
            var a = Jitter(extras, objA, 25);
            var b = Jitter(extras, objB, 25);
            var dSizes = Sizes(extras, d, n, side);
            var dPlaces = Trajectory(extras, dSizes, speed, d.MotionNoise, null);
            _distractors.Add(new Sprite(ObjectTexture(family, dSizes, a, b, extras), shape, dPlaces));
        }

        // ---- occluders: patches of another family that sweep across the target ----
        using var probeMasks = new MaskCache(shape);
        var objectBoxes = new BoxXywh[n];
        for (int t = 0; t < n; t++) objectBoxes[t] = probeMasks.ObjectBox(places[t]);
        foreach (var (kind, start, length) in planned.Where(e => e.Kind != EventKind.OutOfView))
        {
            bool full = kind == EventKind.FullOcclusion;
            bool horizontal = events.Next(2) == 0;
            int sign = events.Next(2) == 0 ? 1 : -1;
            int end = Math.Min(n, start + length);
            double along = 0, across = 0;
            for (int t = start; t < end; t++)
            {
                along = Math.Max(along, horizontal ? objectBoxes[t].Width : objectBoxes[t].Height);
                across = Math.Max(across, horizontal ? objectBoxes[t].Height : objectBoxes[t].Width);
            }
            int a = full ? (int)along * 2 + 4 : Math.Max(3, (int)Math.Round(0.6 * along));
            int b = full ? (int)across + 6 : Math.Max(3, (int)Math.Round(0.6 * across));
            double perp = full ? 0 : (events.NextDouble() - 0.5) * 0.4 * across;
            double reach = (a + along) / 2.0 + 2;
            var rects = new Rect[end - start];
            for (int t = start; t < end; t++)
            {
                double u = end - start == 1 ? 0.5 : (t - start) / (double)(end - start - 1);
                double off = sign * (-reach + 2 * reach * u);
                var o = objectBoxes[t];
                double cx = o.CenterX + (horizontal ? off : perp), cy = o.CenterY + (horizontal ? perp : off);
                int ow = horizontal ? a : b, oh = horizontal ? b : a;
                rects[t - start] = new Rect(RoundHalfUp(cx - ow / 2.0), RoundHalfUp(cy - oh / 2.0), ow, oh);
            }
            var occFamily = textured.Where(f => f != family).ElementAt(events.Next(textured.Length - 1));
            var (oa, ob) = ColourPair(events, 90);
            int texW = horizontal ? a : b, texH = horizontal ? b : a;
            _occluders.Add(new Occluder(ProceduralTexture.Render(occFamily, texW, texH, oa, ob, events), start, rects, full));
        }

        // ---- labels ----
        _truth = new SyntheticFrameTruth[n];
        for (int t = 0; t < n; t++)
        {
            var occ = _occluders.Where(o => t >= o.Start && t < o.Start + o.Places.Length).Select(o => o.Places[t - o.Start]).ToList();
            _truth[t] = probeMasks.Truth(places[t], occ, _w, _h);
        }

        // ---- meta_info.ini ----
        double meanSpeed = 0;
        for (int t = 1; t < n; t++)
            meanSpeed += Math.Sqrt(Math.Pow(objectBoxes[t].CenterX - objectBoxes[t - 1].CenterX, 2) +
                                   Math.Pow(objectBoxes[t].CenterY - objectBoxes[t - 1].CenterY, 2));
        meanSpeed = n > 1 ? meanSpeed / (n - 1) / side : 0;
        string Ranges(Func<SyntheticFrameTruth, bool> f) => FrameRanges(_truth.Select(f).ToArray());
        Add("url", $"synthetic://tracksharp?seed={options.Seed}&sequence={index}");
        Add("begin", "00:00:00");
        Add("end", TimeSpan.FromSeconds(n / 10.0).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture));
        Add("anno_fps", "10Hz");
        Add("object_class", $"{family.ToString().ToLowerInvariant()} {shape.ToString().ToLowerInvariant()}");
        Add("motion_class", oov is null ? "drifting" : "drifting out of view");
        Add("major_class", "synthetic");
        Add("root_class", "synthetic");
        Add("motion_adverb", meanSpeed < 0.012 ? "slowly" : meanSpeed < 0.025 ? "moderately" : "quickly");
        Add("resolution", $"({_w}, {_h})");
        Add("generator", "TrackSharp.Data.Synthetic v1");
        Add("seed", options.Seed.ToString(CultureInfo.InvariantCulture));
        Add("background", bgFamily.ToString().ToLowerInvariant() + (mx + my > 0 ? " panning" : ""));
        Add("distractors", distractors.ToString(CultureInfo.InvariantCulture));
        Add("occlusions", string.Join(" ", _occluders.Select(o =>
            $"{(o.Full ? "full" : "partial")}:{o.Start}-{o.Start + o.Places.Length - 1}")) is { Length: > 0 } s ? s : "none");
        Add("out_of_view_frames", Ranges(f => f.OutOfView));
        Add("absent_frames", Ranges(f => f.Absent));
        return;

        void Add(string key, string value) => _attributes.Add(new(key, value));
    }

    /// <summary>"GOT-10k_Synth_000001" for index 0: the GOT-10k naming, so the layout is detected as GOT-10k.</summary>
    public static string NameFor(int index) => $"GOT-10k_Synth_{index + 1:D6}";

    /// <summary>The options it was planned from.</summary>
    public SyntheticOptions Options { get; }

    /// <summary>0-based index in its dataset.</summary>
    public int Index { get; }

    /// <summary>Folder name, see <see cref="NameFor"/>.</summary>
    public string Name { get; }

    /// <summary>Number of frames.</summary>
    public int Length => _truth.Length;

    /// <summary>Per-frame truth (boxes, absence, cover, occluders).</summary>
    public IReadOnlyList<SyntheticFrameTruth> Truth => _truth;

    /// <summary>The <c>meta_info.ini</c> entries, in file order (GOT-10k's keys, then the generator's own).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Attributes => _attributes;

    public TextureFamily TargetFamily { get; }
    public ObjectShape TargetShape { get; }
    public TextureFamily BackgroundFamily { get; }

    /// <summary>The two colours (BGR) the target's texture is made of; every target pixel lies between them.</summary>
    public (Vec3b A, Vec3b B) TargetColors { get; }

    /// <summary>The background's two colours (BGR; equal for a plain background).</summary>
    public (Vec3b A, Vec3b B) BackgroundColors { get; }

    /// <summary>Draws frame <paramref name="index"/> as BGR uint8; the caller disposes it.</summary>
    public Mat RenderFrame(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Length);
        var (px, py) = _pan[index];
        var frame = new Mat(_background, new Rect(px, py, _w, _h)).Clone();
        foreach (var s in _distractors) Draw(frame, s, index);
        Draw(frame, _target, index);
        foreach (var o in _occluders)
            if (index >= o.Start && index < o.Start + o.Places.Length)
                Paste(frame, o.Texture, null, o.Places[index - o.Start]);
        return frame;
    }

    public void Dispose()
    {
        _background.Dispose();
        _target.Dispose();
        foreach (var s in _distractors) s.Dispose();
        foreach (var o in _occluders) o.Dispose();
    }

    // ---- planning helpers ----

    /// <summary>A well-mixed 31-bit seed for (seed, sequence, stream) (SplitMix64 finaliser).</summary>
    internal static int SeedFor(int seed, int sequence, int stream)
    {
        ulong z = ((ulong)(uint)seed << 32 | (uint)sequence) + 0x9E3779B97F4A7C15UL * (ulong)(stream + 1);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }

    private (int W, int H)[] Sizes(Random r, SyntheticDifficulty d, int n, double side)
    {
        double size = (d.MinObjectSize + r.NextDouble() * (d.MaxObjectSize - d.MinObjectSize)) * side;
        double logAspect = (r.NextDouble() - 0.5) * 1.0;
        double ps = 40 + r.NextDouble() * 80, pa = 30 + r.NextDouble() * 90;
        double fs = r.NextDouble() * 2 * Math.PI, fa = r.NextDouble() * 2 * Math.PI;
        var result = new (int, int)[n];
        for (int t = 0; t < n; t++)
        {
            double s = size * Math.Exp(d.ScaleChange * Math.Sin(2 * Math.PI * t / ps + fs));
            double la = logAspect + d.AspectChange * Math.Sin(2 * Math.PI * t / pa + fa);
            int w = Math.Clamp(RoundHalfUp(s * Math.Exp(la / 2)), 6, (int)(0.8 * _w));
            int h = Math.Clamp(RoundHalfUp(s * Math.Exp(-la / 2)), 6, (int)(0.8 * _h));
            result[t] = (w, h);
        }
        return result;
    }

    private enum Mode { Normal, Exit, Hold, Return }

    /// <summary>Top-left placements of a sprite: noisy constant-velocity motion bouncing inside the image, and, when
    /// <paramref name="outOfView"/> is given, an excursion across the nearest edge starting at its first frame.</summary>
    private Rect[] Trajectory(Random r, (int W, int H)[] sizes, double speed, double noise, (int Start, int Length)? outOfView)
    {
        int n = sizes.Length;
        var places = new Rect[n];
        double cx = sizes[0].W / 2.0 + r.NextDouble() * (_w - sizes[0].W);
        double cy = sizes[0].H / 2.0 + r.NextDouble() * (_h - sizes[0].H);
        double angle = r.NextDouble() * 2 * Math.PI;
        double vx = speed * Math.Cos(angle), vy = speed * Math.Sin(angle);
        var mode = Mode.Normal;
        double dx = 0, dy = 0, exitSpeed = 0;
        int hold = 0, modeFrames = 0;
        for (int t = 0; t < n; t++)
        {
            var (w, h) = sizes[t];
            if (t > 0)
            {
                if (outOfView is { } e && t == e.Start && mode == Mode.Normal)
                {
                    double left = cx + w / 2.0 + 1, right = _w - cx + w / 2.0 + 1, top = cy + h / 2.0 + 1, bottom = _h - cy + h / 2.0 + 1;
                    double nearest = Math.Min(Math.Min(left, right), Math.Min(top, bottom));
                    (dx, dy) = nearest == left ? (-1.0, 0.0) : nearest == right ? (1.0, 0.0) : nearest == top ? (0.0, -1.0) : (0.0, 1.0);
                    exitSpeed = Math.Max(Math.Max(speed, 1), nearest / Math.Max(2, e.Length / 3));
                    hold = Math.Max(2, e.Length / 6);
                    mode = Mode.Exit;
                    modeFrames = 0;
                }
                modeFrames++;
                switch (mode)
                {
                    case Mode.Normal:
                        vx += Normal(r) * noise * speed;
                        vy += Normal(r) * noise * speed;
                        double v = Math.Sqrt(vx * vx + vy * vy);
                        if (v > 2 * speed && v > 0)
                        {
                            vx *= 2 * speed / v;
                            vy *= 2 * speed / v;
                        }
                        cx += vx;
                        cy += vy;
                        (cx, vx) = Bounce(cx, vx, w / 2.0, _w - w / 2.0);
                        (cy, vy) = Bounce(cy, vy, h / 2.0, _h - h / 2.0);
                        break;
                    case Mode.Exit:
                        cx += dx * exitSpeed;
                        cy += dy * exitSpeed;
                        if (!new BoxXywh(cx - w / 2.0, cy - h / 2.0, w, h).Intersects(_w, _h) || modeFrames > 200)
                            (mode, modeFrames) = (Mode.Hold, 0);
                        break;
                    case Mode.Hold:
                        if (modeFrames >= hold) (mode, modeFrames) = (Mode.Return, 0);
                        break;
                    case Mode.Return:
                        cx -= dx * exitSpeed;
                        cy -= dy * exitSpeed;
                        if ((cx - w / 2.0 >= 0 && cx + w / 2.0 <= _w && cy - h / 2.0 >= 0 && cy + h / 2.0 <= _h) || modeFrames > 200)
                        {
                            mode = Mode.Normal;
                            (vx, vy) = (-dx * speed, -dy * speed);
                        }
                        break;
                }
            }
            int x = RoundHalfUp(cx - w / 2.0), y = RoundHalfUp(cy - h / 2.0);
            if (mode == Mode.Normal)
            {
                x = Math.Clamp(x, 0, _w - w);
                y = Math.Clamp(y, 0, _h - h);
            }
            places[t] = new Rect(x, y, w, h);
        }
        return places;
    }

    private static (double Position, double Velocity) Bounce(double p, double v, double min, double max)
    {
        if (min > max) return ((min + max) / 2, 0);
        if (p < min) return (Math.Min(max, 2 * min - p), Math.Abs(v));
        if (p > max) return (Math.Max(min, 2 * max - p), -Math.Abs(v));
        return (p, v);
    }

    private static Mat ObjectTexture(TextureFamily family, (int W, int H)[] sizes, Vec3b a, Vec3b b, Random r) =>
        ProceduralTexture.Render(family, sizes.Max(s => s.W), sizes.Max(s => s.H), a, b, r);

    private static double Normal(Random r)
    {
        double u1 = 1.0 - r.NextDouble(), u2 = r.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static int RoundHalfUp(double v) => (int)Math.Floor(v + 0.5);

    private static int PingPong(double v, int max)
    {
        if (max <= 0) return 0;
        double period = 2.0 * max;
        double m = v % period;
        if (m < 0) m += period;
        return Math.Clamp(RoundHalfUp(m <= max ? m : period - m), 0, max);
    }

    private static Vec3b RandomColour(Random r) => new((byte)r.Next(256), (byte)r.Next(256), (byte)r.Next(256));

    private static int Distance(Vec3b a, Vec3b b) =>
        Math.Abs(a.Item0 - b.Item0) + Math.Abs(a.Item1 - b.Item1) + Math.Abs(a.Item2 - b.Item2);

    /// <summary>Two colours at least <paramref name="minDistance"/> apart (sum of absolute channel differences).</summary>
    private static (Vec3b, Vec3b) ColourPair(Random r, int minDistance)
    {
        for (int i = 0; ; i++)
        {
            var a = RandomColour(r);
            var b = RandomColour(r);
            if (Distance(a, b) >= minDistance || i >= 100) return (a, b);
        }
    }

    /// <summary>A target colour pair whose whole A..B gradient stays well away from the background's A..B gradient,
    /// so the target stands out on any background pixel.</summary>
    private static (Vec3b, Vec3b) DistinctPair(Random r, Vec3b bgA, Vec3b bgB)
    {
        (Vec3b, Vec3b) best = default;
        int bestScore = -1;
        for (int i = 0; i < 300; i++)
        {
            var pair = ColourPair(r, 90);
            int score = int.MaxValue;
            for (int s = 0; s <= 255; s += 51)
            for (int u = 0; u <= 255; u += 51)
                score = Math.Min(score, Distance(ProceduralTexture.Mix(pair.Item1, pair.Item2, s), ProceduralTexture.Mix(bgA, bgB, u)));
            if (score > bestScore) (best, bestScore) = (pair, score);
            if (score >= 150) break;
        }
        return best;
    }

    private static Vec3b Jitter(Random r, Vec3b c, int amount) => new(
        (byte)Math.Clamp(c.Item0 + r.Next(-amount, amount + 1), 0, 255),
        (byte)Math.Clamp(c.Item1 + r.Next(-amount, amount + 1), 0, 255),
        (byte)Math.Clamp(c.Item2 + r.Next(-amount, amount + 1), 0, 255));

    private static string FrameRanges(bool[] flags)
    {
        var parts = new List<string>();
        for (int i = 0; i < flags.Length; i++)
        {
            if (!flags[i]) continue;
            int j = i;
            while (j + 1 < flags.Length && flags[j + 1]) j++;
            parts.Add(i == j ? $"{i}" : $"{i}-{j}");
            i = j;
        }
        return parts.Count == 0 ? "none" : string.Join(" ", parts);
    }

    // ---- drawing ----

    private static void Draw(Mat frame, Sprite sprite, int index)
    {
        var place = sprite.Places[index];
        if (!new BoxXywh(place.X, place.Y, place.Width, place.Height).Intersects(frame.Cols, frame.Rows)) return;
        using var patch = new Mat();
        Cv2.Resize(sprite.Texture, patch, new Size(place.Width, place.Height), 0, 0, InterpolationFlags.Linear);
        using var mask = MaskCache.Shape(sprite.Shape, place.Width, place.Height);
        Paste(frame, patch, mask, place);
    }

    /// <summary>Copies the part of <paramref name="patch"/> placed at <paramref name="place"/> that lies in the frame.</summary>
    private static void Paste(Mat frame, Mat patch, Mat? mask, Rect place)
    {
        var inside = place & new Rect(0, 0, frame.Cols, frame.Rows);
        if (inside.Width <= 0 || inside.Height <= 0) return;
        var source = new Rect(inside.X - place.X, inside.Y - place.Y, inside.Width, inside.Height);
        using var dst = new Mat(frame, inside);
        using var src = new Mat(patch, source);
        if (mask is null) src.CopyTo(dst);
        else
        {
            using var m = new Mat(mask, source);
            src.CopyTo(dst, m);
        }
    }

    /// <summary>Shape masks by size (a sequence reuses few sizes) and the labels computed from them.</summary>
    private sealed class MaskCache(ObjectShape shape) : IDisposable
    {
        private readonly Dictionary<(int, int), (byte[] Pixels, Rect Tight)> _cache = [];

        public static Mat Shape(ObjectShape shape, int w, int h)
        {
            var mask = new Mat(h, w, MatType.CV_8UC1, Scalar.All(shape == ObjectShape.Rectangle ? 255 : 0));
            if (shape == ObjectShape.Ellipse)
                Cv2.Ellipse(mask, new RotatedRect(new Point2f((w - 1) / 2f, (h - 1) / 2f), new Size2f(w, h), 0),
                    Scalar.All(255), -1, LineTypes.Link8);
            return mask;
        }

        private (byte[] Pixels, Rect Tight) Get(int w, int h)
        {
            if (_cache.TryGetValue((w, h), out var hit)) return hit;
            using var mask = Shape(shape, w, h);
            var pixels = new byte[w * h];
            Marshal.Copy(mask.Data, pixels, 0, pixels.Length);
            int x0 = w, y0 = h, x1 = -1, y1 = -1;
            for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                if (pixels[y * w + x] != 0)
                {
                    x0 = Math.Min(x0, x);
                    x1 = Math.Max(x1, x);
                    y0 = Math.Min(y0, y);
                    y1 = Math.Max(y1, y);
                }
            var result = (pixels, x1 < 0 ? new Rect(0, 0, w, h) : new Rect(x0, y0, x1 - x0 + 1, y1 - y0 + 1));
            _cache[(w, h)] = result;
            return result;
        }

        public BoxXywh ObjectBox(Rect place)
        {
            var tight = Get(place.Width, place.Height).Tight;
            return new BoxXywh(place.X + tight.X, place.Y + tight.Y, tight.Width, tight.Height);
        }

        public SyntheticFrameTruth Truth(Rect place, List<Rect> occluders, int width, int height)
        {
            var (pixels, tight) = Get(place.Width, place.Height);
            int total = 0, visible = 0;
            for (int y = 0; y < place.Height; y++)
            for (int x = 0; x < place.Width; x++)
            {
                if (pixels[y * place.Width + x] == 0) continue;
                total++;
                int fx = place.X + x, fy = place.Y + y;
                if (fx < 0 || fy < 0 || fx >= width || fy >= height) continue;
                bool hidden = false;
                foreach (var o in occluders)
                    if (fx >= o.X && fx < o.X + o.Width && fy >= o.Y && fy < o.Y + o.Height)
                    {
                        hidden = true;
                        break;
                    }
                if (!hidden) visible++;
            }
            var full = new BoxXywh(place.X + tight.X, place.Y + tight.Y, tight.Width, tight.Height);
            double f = total == 0 ? 0 : visible / (double)total;
            int cover = visible == 0 ? 0 : visible == total ? 8 : Math.Clamp((int)Math.Ceiling(8.0 * visible / total), 1, 7);
            bool outOfView = !full.Intersects(width, height);
            bool truncated = full.X < 0 || full.Y < 0 || full.Right > width || full.Bottom > height;
            BoxXywh box = full;
            if (visible > 0 && truncated)
            {
                double x0 = Math.Max(0, full.X), y0 = Math.Max(0, full.Y);
                box = new BoxXywh(x0, y0, Math.Min(width, full.Right) - x0, Math.Min(height, full.Bottom) - y0);
            }
            var occ = occluders.Select(o => new BoxXywh(o.X, o.Y, o.Width, o.Height)).ToList();
            return new SyntheticFrameTruth(box, full, visible == 0, cover, f, outOfView, truncated, occ);
        }

        public void Dispose() => _cache.Clear();
    }
}
