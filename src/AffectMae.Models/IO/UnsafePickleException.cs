namespace AffectMae.Models.IO;

/// <summary>
/// A PyTorch file's pickle refers to a Python global that is not on <see cref="PyTorchFile.AllowedGlobals"/>: loading
/// it in Python would import and possibly call that global. The file is refused before anything in it is built.
/// </summary>
public sealed class UnsafePickleException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The file.</param>
    /// <param name="global">The refused reference.</param>
    public UnsafePickleException(string path, PickleGlobal global)
        : base(global.Name is null
            ? $"{path}: refused: its pickle names a global through {global.Opcode} at byte {global.Offset} that cannot be checked without running the pickle. Only plain torch.save state dicts are read."
            : $"{path}: refused: its pickle refers to the Python global '{global.Name}' ({global.Opcode} at byte {global.Offset}), which is not on the allow-list of tensor, storage and container types ({string.Join(", ", PyTorchFile.AllowedGlobals.Order(StringComparer.Ordinal))}). Loading it in Python would import and possibly call '{global.Name}'; nothing of the file was built.")
    {
        FilePath = path;
        Global = global;
    }

    /// <summary>The file.</summary>
    public string FilePath { get; }

    /// <summary>The refused reference.</summary>
    public PickleGlobal Global { get; }
}
