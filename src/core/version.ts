// The tool's version, written into run.json. A test keeps it equal to package.json's.
export const toolVersion = '0.1.0';
