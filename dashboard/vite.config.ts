import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// Built into the server jar: Spring Boot serves META-INF/resources/ statically, here under /dashboard/.
export default defineConfig({
  base: "/dashboard/",
  plugins: [react()],
  build: {
    outDir: "target/classes/META-INF/resources/dashboard",
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
});
