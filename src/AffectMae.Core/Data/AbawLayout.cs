// The folder layout of an Aff-Wild2 / ABAW release (ABAW_FORMATS.md):
//   <root>/VA_Estimation_Challenge/{Train_Set,Validation_Set}/<video>.txt
//   <root>/EXPR_Recognition_Challenge/...            (ABAW5: EXPR_Classification_Challenge)
//   <root>/AU_Detection_Challenge/...
//   <root>/cropped_aligned/<video>/00001.jpg, 00002.jpg, ...
// Nothing is cached: every query looks at the disk, so a folder being filled by a generator is seen as it grows.
using System.Globalization;
using AffectMae.Core.IO;

namespace AffectMae.Core.Data;

/// <summary>Finds the annotation sets, videos and frame folders under an Aff-Wild2 root folder.</summary>
public sealed class AbawLayout
{
    /// <summary>Folder of the valence-arousal annotation set.</summary>
    public const string ValenceArousalFolderName = "VA_Estimation_Challenge";

    /// <summary>Folder of the expression annotation set (ABAW6 name; preferred when both names exist).</summary>
    public const string ExpressionFolderName = "EXPR_Recognition_Challenge";

    /// <summary>Folder of the expression annotation set as ABAW5 named it.</summary>
    public const string ExpressionFolderNameAbaw5 = "EXPR_Classification_Challenge";

    /// <summary>Folder of the action-unit annotation set.</summary>
    public const string ActionUnitsFolderName = "AU_Detection_Challenge";

    /// <summary>Folder of the aligned face crops, one sub-folder per video.</summary>
    public const string FramesFolderName = "cropped_aligned";

    private const string AnnotationExtension = ".txt";
    private const string ImageExtension = ".jpg";

    /// <summary>Opens the layout rooted at <paramref name="root"/>.</summary>
    /// <param name="root">The folder that holds the annotation sets and <c>cropped_aligned</c>.</param>
    /// <exception cref="DirectoryNotFoundException"><paramref name="root"/> does not exist.</exception>
    public AbawLayout(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
        if (!Directory.Exists(Root))
            throw new DirectoryNotFoundException(
                $"Aff-Wild2 root folder '{Root}' not found; expected a folder holding {ValenceArousalFolderName}, "
                + $"{ExpressionFolderName} and/or {ActionUnitsFolderName} (each with Train_Set and Validation_Set) and {FramesFolderName}.");
    }

    /// <summary>The longest annotation line <see cref="ReadAnnotation"/> accepts, in characters.</summary>
    /// <value>The default value is <see cref="AnnotationReader.DefaultMaxLineLength"/> (4096).</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int MaxAnnotationLineLength
    {
        get => maxAnnotationLineLength;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            maxAnnotationLineLength = value;
        }
    }

    private readonly int maxAnnotationLineLength = AnnotationReader.DefaultMaxLineLength;

    /// <summary>The root folder (full path).</summary>
    public string Root { get; }

    /// <summary>The folder of aligned face crops, <c>&lt;root&gt;/cropped_aligned</c> (may not exist).</summary>
    public string FramesRoot => Path.Combine(Root, FramesFolderName);

    /// <summary>The tasks whose annotation-set folder exists, in <see cref="AffectTask"/> order.</summary>
    public IReadOnlyList<AffectTask> AvailableTasks
        => [.. AffectTasks.Each.Where(task => Directory.Exists(TaskFolderPath(task)))];

    /// <summary>Whether the annotation-set folder of <paramref name="task"/> exists.</summary>
    /// <param name="task">The task.</param>
    /// <returns><see langword="true"/> when the folder exists.</returns>
    public bool HasAnnotations(AffectTask task) => Directory.Exists(TaskFolderPath(task));

    /// <summary>Whether the annotation folder of <paramref name="task"/> has a <paramref name="split"/> folder.</summary>
    public bool HasAnnotations(AffectTask task, AbawSplit split) => Directory.Exists(Path.Combine(TaskFolderPath(task), SplitFolderName(split)));

    /// <summary>The folder name of a split: <c>Train_Set</c> or <c>Validation_Set</c>.</summary>
    /// <param name="split">The split.</param>
    /// <returns>The folder name.</returns>
    public static string SplitFolderName(AbawSplit split) => split switch
    {
        AbawSplit.Train => "Train_Set",
        AbawSplit.Validation => "Validation_Set",
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "Unknown ABAW split."),
    };

    /// <summary>The existing folder holding the annotation files of one task and split.</summary>
    /// <param name="task">The task.</param>
    /// <param name="split">The split.</param>
    /// <returns><c>&lt;root&gt;/&lt;task folder&gt;/&lt;split folder&gt;</c>.</returns>
    /// <exception cref="DirectoryNotFoundException">The task folder or its split folder does not exist; the message names it.</exception>
    public string SplitFolder(AffectTask task, AbawSplit split)
    {
        string taskFolder = TaskFolderPath(task);
        if (!Directory.Exists(taskFolder))
        {
            string names = task == AffectTask.Expression ? $"{ExpressionFolderName} (or {ExpressionFolderNameAbaw5})" : Path.GetFileName(taskFolder);
            throw new DirectoryNotFoundException(
                $"Annotation set folder '{taskFolder}' not found; expected <root>/{names}/{{Train_Set,Validation_Set}}/<video>.txt under '{Root}'.");
        }
        string folder = Path.Combine(taskFolder, SplitFolderName(split));
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException(
                $"Split folder '{folder}' not found; expected {Path.GetFileName(taskFolder)}/{SplitFolderName(split)}/<video>.txt.");
        return folder;
    }

    /// <summary>The videos annotated for one task and split: the <c>.txt</c> file names without extension, sorted ordinally.</summary>
    /// <param name="task">The task.</param>
    /// <param name="split">The split.</param>
    /// <returns>The video names.</returns>
    /// <exception cref="DirectoryNotFoundException">The task or split folder does not exist.</exception>
    /// <exception cref="IOException">
    /// A <c>&lt;video&gt;.txt</c> entry is a folder, FIFO, device or broken link rather than a regular file; the message
    /// names it (ignoring it would drop that video's labels without a word).
    /// </exception>
    public IReadOnlyList<string> Videos(AffectTask task, AbawSplit split)
    {
        var videos = new List<string>();
        foreach (string entry in Directory.EnumerateFileSystemEntries(SplitFolder(task, split), "*" + AnnotationExtension))
        {
            if (!entry.EndsWith(AnnotationExtension, StringComparison.Ordinal)) continue;
            RegularFile.ThrowIfNotRegular(entry, "Annotation file");
            videos.Add(Path.GetFileNameWithoutExtension(entry));
        }
        videos.Sort(StringComparer.Ordinal);
        return videos;
    }

    /// <summary>The official split of one task: the videos of <c>Train_Set</c> and of <c>Validation_Set</c>.</summary>
    /// <param name="task">The task.</param>
    /// <returns>The split.</returns>
    /// <exception cref="DirectoryNotFoundException">The task folder or one of its split folders does not exist.</exception>
    /// <exception cref="InvalidDataException">A video is annotated in both splits; the message names it and both files.</exception>
    public VideoSplit OfficialSplit(AffectTask task)
    {
        var split = new VideoSplit(Videos(task, AbawSplit.Train), Videos(task, AbawSplit.Validation));
        var validation = split.Validation.ToHashSet(StringComparer.Ordinal);
        if (split.Train.FirstOrDefault(validation.Contains) is { } shared)
            throw InBothSplits(shared, AnnotationPath(task, AbawSplit.Train, shared), AnnotationPath(task, AbawSplit.Validation, shared));
        return split;
    }

    /// <summary>The error for a video annotated in the training and in the validation split.</summary>
    internal static InvalidDataException InBothSplits(string video, string trainFile, string validationFile) => new(
        $"Video '{PrintableText.Escape(video)}' is in both splits: '{PrintableText.Escape(trainFile)}' and '{PrintableText.Escape(validationFile)}'. "
        + "Its frames would be trained on and validated on; move the video's annotation files into one split.");

    /// <summary>The path of a video's annotation file; the file and its folders need not exist (use it to write one).</summary>
    /// <param name="task">The task.</param>
    /// <param name="split">The split.</param>
    /// <param name="video">The video name.</param>
    /// <returns><c>&lt;root&gt;/&lt;task folder&gt;/&lt;split folder&gt;/&lt;video&gt;.txt</c>.</returns>
    public string AnnotationPath(AffectTask task, AbawSplit split, string video)
        => Path.Combine(TaskFolderPath(task), SplitFolderName(split), CheckVideo(video) + AnnotationExtension);

    /// <summary>Reads a video's annotation file.</summary>
    /// <param name="task">The task; the record type follows it (see <see cref="AnnotationReader.Read(AffectTask, string, int)"/>).</param>
    /// <param name="split">The split.</param>
    /// <param name="video">The video name.</param>
    /// <returns>The annotation.</returns>
    /// <exception cref="AnnotationFormatException">A malformed line, a header-only file, or a line longer than <see cref="MaxAnnotationLineLength"/>.</exception>
    /// <exception cref="FileNotFoundException">The video has no annotation file in that split.</exception>
    /// <exception cref="IOException">The annotation path is a folder, FIFO or device, not a regular file.</exception>
    public VideoAnnotation ReadAnnotation(AffectTask task, AbawSplit split, string video)
        => AnnotationReader.Read(task, AnnotationPath(task, split, video), MaxAnnotationLineLength);

    /// <summary>Reads every annotation file of a task and split, one video at a time, in <see cref="Videos"/> order.</summary>
    /// <typeparam name="T">The record type of <paramref name="task"/>, e.g. <see cref="ValenceArousalAnnotation"/>.</typeparam>
    /// <param name="task">The task.</param>
    /// <param name="split">The split.</param>
    /// <returns>A lazy sequence; each file is read when enumerated.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> does not match <paramref name="task"/>.</exception>
    /// <exception cref="DirectoryNotFoundException">The task or split folder does not exist.</exception>
    public IEnumerable<T> ReadAnnotations<T>(AffectTask task, AbawSplit split)
        where T : VideoAnnotation
    {
        var expected = task switch
        {
            AffectTask.ValenceArousal => typeof(ValenceArousalAnnotation),
            AffectTask.Expression => typeof(ExpressionAnnotation),
            AffectTask.ActionUnits => typeof(ActionUnitAnnotation),
            _ => throw new ArgumentOutOfRangeException(nameof(task), task, "Unknown ABAW task."),
        };
        if (!typeof(T).IsAssignableFrom(expected))
            throw new ArgumentException($"Task {task} is read as {expected.Name}, not {typeof(T).Name}.", nameof(T));
        var videos = Videos(task, split);
        return videos.Select(video => (T)ReadAnnotation(task, split, video));
    }

    /// <summary>Writes an annotation record to its file in this layout, creating the folders as needed.</summary>
    /// <param name="split">The split to write into.</param>
    /// <param name="annotation">The record; its type picks the task and its <see cref="VideoAnnotation.Video"/> the file name.</param>
    /// <returns>The path written.</returns>
    public string WriteAnnotation(AbawSplit split, VideoAnnotation annotation)
    {
        ArgumentNullException.ThrowIfNull(annotation);
        string path = AnnotationPath(AnnotationWriter.TaskOf(annotation), split, annotation.Video);
        AnnotationWriter.Write(path, annotation);
        return path;
    }

    /// <summary>The frame folder of a video, <c>&lt;root&gt;/cropped_aligned/&lt;video&gt;</c> (may not exist).</summary>
    /// <param name="video">The video name.</param>
    /// <returns>The folder path.</returns>
    public string FramesFolder(string video) => Path.Combine(FramesRoot, CheckVideo(video));

    /// <summary>The image of frame <paramref name="frameNumber"/> of a video, <c>cropped_aligned/&lt;video&gt;/{n:D5}.jpg</c> (may not exist).</summary>
    /// <param name="video">The video name.</param>
    /// <param name="frameNumber">1-based frame number (array index + 1).</param>
    /// <returns>The image path.</returns>
    public string FramePath(string video, int frameNumber) => Path.Combine(FramesFolder(video), VideoAnnotation.FrameFileName(frameNumber));

    /// <summary>
    /// Compares a video's annotation lines with the images in its frame folder. Frame k's image is the file named
    /// exactly <c>{k:D5}.jpg</c>; other files in the folder are ignored.
    /// </summary>
    /// <param name="video">The video name.</param>
    /// <param name="annotatedFrameCount">Number of annotation lines, e.g. <see cref="VideoAnnotation.FrameCount"/>.</param>
    /// <returns>Which annotated frames lack an image and which images lack an annotation line.</returns>
    /// <exception cref="DirectoryNotFoundException">The video's frame folder does not exist.</exception>
    public FrameAlignment CheckFrames(string video, int annotatedFrameCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(annotatedFrameCount);
        string folder = FramesFolder(video);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException(
                $"Frame folder '{folder}' not found; expected {FramesFolderName}/{video}/00001.jpg, 00002.jpg, … under '{Root}'.");
        var present = new bool[annotatedFrameCount + 1];   // index = frame number; [0] unused
        var unannotated = new List<int>();
        int images = 0;
        foreach (string file in Directory.EnumerateFiles(folder))
        {
            if (!TryParseFrameNumber(Path.GetFileName(file.AsSpan()), out int frame)) continue;
            images++;
            if (frame >= 1 && frame <= annotatedFrameCount) present[frame] = true;
            else unannotated.Add(frame);
        }
        var missing = new List<int>();
        for (int frame = 1; frame <= annotatedFrameCount; frame++)
        {
            if (!present[frame]) missing.Add(frame);
        }
        unannotated.Sort();
        return new FrameAlignment(video, annotatedFrameCount, images, missing, unannotated);
    }

    /// <summary>Compares an annotation with the images of its video, as <see cref="CheckFrames(string, int)"/>.</summary>
    /// <param name="annotation">The annotation.</param>
    /// <returns>The alignment report.</returns>
    /// <exception cref="DirectoryNotFoundException">The video's frame folder does not exist.</exception>
    public FrameAlignment CheckFrames(VideoAnnotation annotation)
    {
        ArgumentNullException.ThrowIfNull(annotation);
        return CheckFrames(annotation.Video, annotation.FrameCount);
    }

    private string TaskFolderPath(AffectTask task) => task switch
    {
        AffectTask.ValenceArousal => Path.Combine(Root, ValenceArousalFolderName),
        AffectTask.Expression when !Directory.Exists(Path.Combine(Root, ExpressionFolderName))
                                 && Directory.Exists(Path.Combine(Root, ExpressionFolderNameAbaw5))
            => Path.Combine(Root, ExpressionFolderNameAbaw5),
        AffectTask.Expression => Path.Combine(Root, ExpressionFolderName),
        AffectTask.ActionUnits => Path.Combine(Root, ActionUnitsFolderName),
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "Unknown ABAW task."),
    };

    /// <summary>Parses a canonical frame image name: digits, ".jpg", and exactly the text <c>{k:D5}.jpg</c> would give.</summary>
    private static bool TryParseFrameNumber(ReadOnlySpan<char> fileName, out int frame)
    {
        frame = 0;
        if (!fileName.EndsWith(ImageExtension, StringComparison.Ordinal)) return false;
        var stem = fileName[..^ImageExtension.Length];
        if (stem.Length < 5 || (stem.Length > 5 && stem[0] == '0')) return false;
        foreach (char c in stem)
        {
            if (c is < '0' or > '9') return false;
        }
        return int.TryParse(stem, NumberStyles.None, CultureInfo.InvariantCulture, out frame);
    }

    private static string CheckVideo(string video)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(video);
        if (video.AsSpan().IndexOfAny('/', '\\') >= 0)
            throw new ArgumentException($"Video name '{video}' contains a path separator; expected a bare folder name.", nameof(video));
        return video;
    }
}
