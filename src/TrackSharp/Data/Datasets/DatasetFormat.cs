namespace TrackSharp.Data.Datasets;

/// <summary>The on-disk layouts the dataset readers understand (see <see cref="DatasetReader"/> for each tree).</summary>
public enum DatasetFormat
{
    /// <summary><c>&lt;Seq&gt;/img/0001.jpg</c> + <c>groundtruth_rect.txt</c> or <c>groundtruth_rect.&lt;k&gt;.txt</c> per target.</summary>
    Otb,

    /// <summary>VOT 2016-2018 flat: <c>list.txt</c> + <c>&lt;seq&gt;/00000001.jpg</c> + <c>groundtruth.txt</c> (8-number polygons or 4-number boxes).</summary>
    Vot,

    /// <summary><c>data_seq/&lt;subset&gt;/&lt;seq&gt;/000001.jpg</c> + <c>anno/&lt;subset&gt;/&lt;seq&gt;.txt</c> (UAV123, UAV123_10fps, UAV20L).</summary>
    Uav123,

    /// <summary>Same tree as OTB (<c>&lt;Seq&gt;/img/00001.jpg</c> + <c>groundtruth_rect.txt</c>), fractional values.</summary>
    Dtb70,

    /// <summary><c>list.txt</c> + <c>GOT-10k_*_NNNNNN/</c> (optionally inside <c>GOT-10k_Train_split_NN/</c>) with frames,
    /// <c>groundtruth.txt</c>, <c>absence.label</c>, <c>cover.label</c>, <c>meta_info.ini</c>.</summary>
    Got10k,

    /// <summary><c>&lt;class&gt;/&lt;class&gt;-N/img/00000001.jpg</c> + <c>groundtruth.txt</c>, <c>full_occlusion.txt</c>,
    /// <c>out_of_view.txt</c>, <c>nlp.txt</c>.</summary>
    Lasot,

    /// <summary><c>TRAIN_0</c> .. <c>TRAIN_11</c> and <c>TEST</c> chunks (or one chunk folder), each with
    /// <c>anno/&lt;video&gt;.txt</c> (one <c>x,y,w,h</c> row per frame; TEST: the first frame only) and
    /// <c>frames/&lt;video&gt;/0.jpg, 1.jpg ...</c> (numbered from 0, no padding).</summary>
    TrackingNet,

    /// <summary>Your own data: one folder of frames per sequence with a <c>groundtruth.txt</c> (one <c>x,y,w,h</c> row per
    /// frame) and optionally <c>absence.label</c> / <c>cover.label</c> (one number per frame).</summary>
    Custom,

    /// <summary>COCO as a tracking dataset: <c>annotations/instances_&lt;split&gt;.json</c> + <c>images/&lt;split&gt;/</c> (or
    /// <c>&lt;split&gt;/</c>); each non-crowd object is a one-frame sequence (pytracking's and OSTrack's <c>MSCOCOSeq</c>).</summary>
    Coco,

    /// <summary>ImageNet-VID (ILSVRC2015): <c>Annotations/VID/&lt;split&gt;/[&lt;set&gt;/]&lt;video&gt;/NNNNNN.xml</c> +
    /// <c>Data/VID/...</c> JPEGs; one sequence per track id (pytracking's <c>ImagenetVID</c>).</summary>
    ImagenetVid,
}

/// <summary>Names of <see cref="DatasetFormat"/> as typed on the command line.</summary>
public static class DatasetFormats
{
    /// <summary>"otb", "vot", "uav123", "dtb70", "got10k", "lasot", "trackingnet", "custom", "coco", "imagenetvid".</summary>
    public static string Name(DatasetFormat format) => format.ToString().ToLowerInvariant();

    /// <summary>All names, in enum order.</summary>
    public static IReadOnlyList<string> Names { get; } = Enum.GetValues<DatasetFormat>().Select(Name).ToArray();

    /// <summary>Parses a name case-insensitively ("got-10k", "uav123_10fps", "vid", "ilsvrc2015" are accepted too).</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static DatasetFormat Parse(string name)
    {
        string n = name.Trim().ToLowerInvariant().Replace("-", "");
        if (n == "uav123_10fps" || n == "uav") n = "uav123";
        if (n is "vid" or "imagenet_vid" or "ilsvrc" or "ilsvrc2015") n = "imagenetvid";
        foreach (var f in Enum.GetValues<DatasetFormat>())
            if (Name(f) == n) return f;
        throw new ArgumentException($"unknown dataset format '{name}'; known formats: {string.Join(", ", Names)}");
    }
}
