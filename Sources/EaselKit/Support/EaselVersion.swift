/// Easel's version, shown by `easel --version` and in every page's footer.
public enum EaselVersion {
    public static let current = "0.1.0"
}
