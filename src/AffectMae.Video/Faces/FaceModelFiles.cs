namespace AffectMae.Video.Faces;

/// <summary>
/// Where face-detector model files are found. Nothing is ever downloaded: a model is a path the user gives, or a bare
/// file name looked up, in this order, in
/// <list type="number">
/// <item>the folders listed in the environment variable <c>AFFECTMAE_FACE_MODELS</c> (separated like <c>PATH</c>);</item>
/// <item>the current directory and the application's own folder;</item>
/// <item>the folders where OpenCV installs its cascades: <c>/usr/share/opencv4/{haarcascades,lbpcascades}</c> (Debian and
/// Ubuntu's <c>opencv-data</c> package), <c>/usr/local/share/opencv4/…</c> (a source build) and <c>/usr/share/opencv/…</c>.</item>
/// </list>
/// YuNet's ONNX file is not packaged by Debian; get <c>face_detection_yunet_2023mar.onnx</c> from the OpenCV Zoo and put
/// it in one of those places or give its path.
/// </summary>
public static class FaceModelFiles
{
    /// <summary>The cascade used when none is named: OpenCV's frontal-face Haar cascade.</summary>
    public const string DefaultCascade = "haarcascade_frontalface_default.xml";

    /// <summary>The YuNet model looked for when none is named.</summary>
    public const string YuNetFileName = "face_detection_yunet_2023mar.onnx";

    /// <summary>The environment variable whose folders are searched first.</summary>
    public const string SearchPathVariable = "AFFECTMAE_FACE_MODELS";

    private static readonly string[] OpenCvDataFolders =
    [
        "/usr/share/opencv4/haarcascades", "/usr/share/opencv4/lbpcascades",
        "/usr/local/share/opencv4/haarcascades", "/usr/local/share/opencv4/lbpcascades",
        "/usr/share/opencv/haarcascades", "/usr/share/opencv/lbpcascades",
    ];

    /// <summary>The folders searched for a bare file name, in order.</summary>
    /// <returns>The folders (existing or not).</returns>
    public static IReadOnlyList<string> SearchFolders()
    {
        var folders = new List<string>();
        if (Environment.GetEnvironmentVariable(SearchPathVariable) is { Length: > 0 } listed)
            folders.AddRange(listed.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        folders.Add(Directory.GetCurrentDirectory());
        folders.Add(AppContext.BaseDirectory);
        folders.AddRange(OpenCvDataFolders);
        return folders;
    }

    /// <summary>The model file for <paramref name="pathOrName"/>: the path itself when it has a folder part, else the first match in <see cref="SearchFolders"/>.</summary>
    /// <param name="pathOrName">A path, a bare file name, or <see langword="null"/> for the kind's default file name.</param>
    /// <param name="kind">The detector the file is for (decides the default name and the hint in the error).</param>
    /// <returns>The full path of an existing file.</returns>
    /// <exception cref="FileNotFoundException">The file is not there; the message lists the places searched and how to get the file.</exception>
    public static string Resolve(string? pathOrName, FaceDetectorKind kind)
    {
        string name = pathOrName ?? (kind == FaceDetectorKind.YuNet ? YuNetFileName : DefaultCascade);
        string hint = kind == FaceDetectorKind.YuNet
            ? $"AffectMae does not download models: get {YuNetFileName} from the OpenCV Zoo (models/face_detection_yunet) and give its path, or put it in a folder listed in {SearchPathVariable}."
            : $"Install Debian's or Ubuntu's opencv-data package (apt-get install opencv-data) for the cascades under /usr/share/opencv4, give the XML file's path, or list its folder in {SearchPathVariable}.";
        if (Path.IsPathRooted(name) || name.Contains(Path.DirectorySeparatorChar) || name.Contains(Path.AltDirectorySeparatorChar))
            return File.Exists(name)
                ? Path.GetFullPath(name)
                : throw new FileNotFoundException($"Face model file '{name}' does not exist. {hint}", name);

        var folders = SearchFolders();
        foreach (string folder in folders)
        {
            string candidate = Path.Combine(folder, name);
            if (File.Exists(candidate))
                return Path.GetFullPath(candidate);
        }
        throw new FileNotFoundException($"Face model file '{name}' was not found in {string.Join(", ", folders)}. {hint}", name);
    }
}
